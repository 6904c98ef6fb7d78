import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { formatError, loadCharter } from "../charter/loader.js";
import { DEFAULT_CHARTER_PATH } from "../charter/source.js";
import { now } from "../core/clock.js";
import type { CliCommand } from "./types.js";

export const validateCommand: CliCommand = {
  name: "validate",
  usage: `security-team validate [FILE]   (default ${DEFAULT_CHARTER_PATH})`,
  summary: "check a charter file; prints each problem as file:line:col: message",
  async run(args, io) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length > 1) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const file = positionals[0] ?? DEFAULT_CHARTER_PATH;
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      io.err(
        `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path`,
      );
      return 2;
    }
    const result = loadCharter(text, { file, now: now(io.env) });
    if (!result.ok) {
      for (const e of result.errors) io.err(formatError(e));
      io.err(`${file}: invalid (${result.errors.length} problem${result.errors.length === 1 ? "" : "s"})`);
      return 1;
    }
    const { charter } = result;
    for (const w of result.warnings) io.err(`${formatError(w)} (warning)`);
    io.out(`${file}: valid (${charter.members.length} members, team ${charter.org}/${charter.team})`);
    return 0;
  },
};
