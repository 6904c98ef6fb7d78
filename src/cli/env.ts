import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { ConfigError } from "../core/config.js";

/**
 * The CLI's environment: `.env` in the current directory (where registration writes APP_ID,
 * PRIVATE_KEY and WEBHOOK_SECRET), under the process environment, so `APP_ID=… security-team …`
 * on the command line still wins. A missing `.env` is fine.
 */
export function cliEnvironment(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = join(cwd, ".env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw new ConfigError(
      `${file}: cannot read (${(error as Error).message}): fix its permissions or remove it`,
    );
  }
  return { ...parseEnv(text), ...env };
}
