/** One section of BENCHMARKS.md: a title, the command that reproduces it, and Markdown with the figures. */
export interface BenchSection {
  title: string;
  command: string;
  markdown: string;
}

export interface Benchmark {
  /** Used by `npm run bench -- NAME` to run one benchmark only. */
  name: string;
  run(): Promise<BenchSection>;
}
