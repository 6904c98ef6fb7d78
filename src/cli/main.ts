import { applyCommand } from "./apply.js";
import { doctorCommand } from "./doctor.js";
import { cliEnvironment } from "./env.js";
import { describeError } from "./errors.js";
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
  doctorCommand,
  workerCommand,
];

function usage(commands: CliCommand[]): string {
  return [
    "usage: security-team <command> [options]",
    "",
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
    "",
    "SECURITY_TEAM_NOW (ISO 8601) pins the clock, for tests and demos.",
  ].join("\n");
}

/**
 * Runs one of `commands`; without `given`, on the terminal with `.env` from the current directory read.
 * Tests pass their own IO and commands built on fakes (as `createSweepCommand` takes its steps).
 */
export async function main(
  argv: string[],
  given?: CliIO,
  commands: CliCommand[] = cliCommands,
): Promise<number> {
  const io = given ?? terminal();
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    (name ? io.out : io.err)(usage(commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`security-team: unknown command "${name}"\n\n${usage(commands)}`);
    return 2;
  }
  try {
    const env = given ? given.env : cliEnvironment(process.cwd(), process.env);
    return await command.run(rest, { ...io, env });
  } catch (error) {
    const usage = error instanceof UsageError || isParseArgsError(error);
    const message = describeError(error);
    if (rest.includes("--json")) {
      io.out(JSON.stringify({ status: "error", error: message }, null, 2));
    } else {
      io.err(`security-team ${name}: ${message}${usage ? `\nusage: ${command.usage}` : ""}`);
    }
    return usage ? 2 : 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

function terminal(): CliIO {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  };
}
