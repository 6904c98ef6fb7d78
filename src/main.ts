import { run } from "probot";
import app from "./index.js";
import { gracefulStop } from "./shutdown.js";

/**
 * The production entry point (`node lib/main.js`: `npm start` and the Docker image's command):
 * Probot's `run` (the same environment and `.env` handling as `probot run`, registration flow
 * without credentials) plus a graceful stop on SIGTERM, which `probot run` does not handle.
 * What stops startup is configuration (APP_ID, the private key, SWEEP_CRON…): its message is
 * printed as one line, without a stack.
 */
let server: Awaited<ReturnType<typeof run>>;
try {
  server = await run(app);
} catch (error) {
  const message = String((error as Error)?.message ?? error).split("\n")[0];
  process.stderr.write(`security-team: cannot start: ${message}\n`);
  process.exit(1);
}
process.once("SIGTERM", gracefulStop(server));
