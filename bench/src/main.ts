import { writeFile } from "node:fs/promises";
import type { BenchmarkResult } from "./benchmark.ts";
import { BENCHMARKS } from "./benchmarks.ts";
import { takeOption } from "./shared/cli-flags.ts";

function usage(): string {
  const lines = ["Usage: npm run bench -- <benchmark> [flags]", "", "Benchmarks:"];
  for (const [name, benchmark] of Object.entries(BENCHMARKS)) {
    lines.push(`  ${name.padEnd(10)} ${benchmark.summary}`);
    for (const flag of benchmark.flags) lines.push(`      ${flag}`);
  }
  lines.push("", "Common flags:", "      --out <file>   also write the JSON result to this file");
  lines.push("", "The result is JSON on stdout (use `npm run -s bench -- …` to keep npm's banner off it);");
  lines.push("progress goes to stderr.");
  return lines.join("\n") + "\n";
}

const [name, ...args] = process.argv.slice(2);
const benchmark = name === undefined ? undefined : BENCHMARKS[name];
if (!benchmark) {
  process.stderr.write(name && name !== "--help" ? `Unknown benchmark: ${name}\n\n` : "");
  process.stdout.write(usage());
  process.exit(name && name !== "--help" ? 2 : 0);
}

let result: BenchmarkResult;
let outFile: string | undefined;
try {
  outFile = takeOption(args, "--out");
  result = await benchmark.run(args);
} catch (error) {
  process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
  process.exit(2);
}
const json = JSON.stringify(result, null, 2) + "\n";
process.stdout.write(json);
if (outFile) await writeFile(outFile, json);
// Numbers never fail a run; a benchmark that could not finish does.
if (result.error !== null) process.exitCode = 1;
