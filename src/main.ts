import { existsSync } from "node:fs";
import { run } from "probot";
import app from "./index.js";
import { checkRedis } from "./scale/redis.js";
import { PerInstallationOctokit } from "./scale/throttle.js";
import { gracefulStop } from "./shutdown.js";

/**
 * The production entry point (`node lib/main.js`: `npm start` and the Docker image's command):
 * Probot's `run` (the same environment and `.env` handling as `probot run`, registration flow
 * without credentials) with throttling per installation, plus a graceful stop on SIGTERM, which
 * `probot run` does not handle. What stops startup is configuration (APP_ID, the private key,
 * SWEEP_CRON, REDIS_URL…): its message is printed as one line, without a stack.
 */
let server: Awaited<ReturnType<typeof run>>;
try {
  // Probot's own throttling connection would log every failed attempt with a stack: check first.
  // (`run` reads `.env` too; read it here so a REDIS_URL kept there is checked.)
  if (existsSync(".env")) process.loadEnvFile(".env");
  // Without a secret Probot checks signatures against its default, which anyone can sign with.
  const secret = process.env.WEBHOOK_SECRET ?? "";
  if (process.env.APP_ID && (secret === "" || secret === "development")) {
    throw new Error(
      "WEBHOOK_SECRET is not set: set it to the webhook secret in the app's settings (registration writes it to .env); without it anyone could forge webhooks",
    );
  }
  if (process.env.REDIS_URL) await checkRedis(process.env.REDIS_URL);
  server = await run(app, { Octokit: PerInstallationOctokit });
} catch (error) {
  const message = String((error as Error)?.message ?? error).split("\n")[0];
  process.stderr.write(`security-team: cannot start: ${message}\n`);
  process.exit(1);
}
process.once("SIGTERM", gracefulStop(server));
