import type { Benchmark } from "./benchmark.ts";
import { runDrill } from "./drill/run-drill.ts";
import { takeNumber } from "./shared/cli-flags.ts";

/** The cluster's failover drill: four media hosts, the director, hundreds of viewers, one kill at a time. */
export const drillBenchmark: Benchmark = {
  summary:
    "2 origins + 2 edges on 4 hosts, the web's director, N viewers: SIGKILL each node in turn, time until all play",
  flags: [
    "--viewers <n>       viewers, spread by the director (default 300)",
    "--edge-capacity <n> viewers per edge before the director uses the other (default 200)",
  ],
  run: (args) => {
    const options = {
      viewers: takeNumber(args, "--viewers", 300),
      edgeCapacity: takeNumber(args, "--edge-capacity", 200),
    };
    if (args.length > 0) throw new Error(`unknown flags: ${args.join(" ")}`);
    return runDrill(options);
  },
};
