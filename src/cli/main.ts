import { applyCommand } from "./apply.js";
import { planCommand } from "./plan.js";
import { reportCommand } from "./report.js";
import { sweepCommand } from "./sweep.js";
import type { CliCommand, CliIO } from "./types.js";
import { UsageError } from "./types.js";
import { validateCommand } from "./validate.js";
import { workerCommand } from "./worker.js";

/** Every `security-team` subcommand, one file each. */
export const cliCommands: CliCommand[] = [
  validateCommand,
  planCommand,
  applyCommand,
  sweepCommand,
  reportCommand,
  workerCommand,
];

function usage(): string {
  return [
    "usage: security-team <command> [options]",
    "",
    ...cliCommands.map((c) => `  ${c.usage}\n      ${c.summary}`),
    "",
    "SECURITY_TEAM_NOW (ISO 8601) pins the clock, for tests and demos.",
  ].join("\n");
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    (name ? io.out : io.err)(usage());
    return name ? 0 : 2;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    io.err(`security-team: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`security-team ${name}: ${(error as Error).message}\nusage: ${command.usage}`);
      return 2;
    }
    io.err(`security-team ${name}: ${(error as Error).message}`);
    return 1;
  }
}

function defaultIO(): CliIO {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  };
}
