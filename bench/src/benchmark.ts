/** A benchmark's JSON result; `error` says why it stopped early (what it measured before is kept). */
export type BenchmarkResult = { error: string | null };

/** One named benchmark of `npm run bench -- <name>`: it prints its result as JSON on stdout. */
export type Benchmark = {
  /** One line for the usage text. */
  summary: string;
  /** Its flags, one per line, for the usage text. */
  flags: string[];
  run(args: string[]): Promise<BenchmarkResult>;
};
