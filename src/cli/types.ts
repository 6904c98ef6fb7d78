/** One CLI subcommand. `run` returns the exit code: 0 ok, 1 the check failed, 2 usage error. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export class UsageError extends Error {}
