import { existsSync } from "node:fs";
import { run } from "probot";
import app from "./index.js";
import { checkRedis, RedisConfigError } from "./scale/redis.js";
import { PerInstallationOctokit } from "./scale/throttle.js";
import { gracefulStop } from "./shutdown.js";

/**
 * The production entry point (`npm start`, the Docker image's command): Probot's `run` (the same
 * environment and `.env` handling as `probot run`, registration flow without credentials) with
 * throttling per installation, plus a graceful stop on SIGTERM, which `probot run` does not handle.
 * Bad configuration stops it with one line.
 */
try {
  // Probot's own throttling connection would log every failed attempt with a stack: check first.
  // (`run` reads `.env` too; read it here so a REDIS_URL kept there is checked.)
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (process.env.REDIS_URL) await checkRedis(process.env.REDIS_URL);
  const server = await run(app, { Octokit: PerInstallationOctokit });
  process.once("SIGTERM", gracefulStop(server));
} catch (error) {
  if (!(error instanceof RedisConfigError)) throw error;
  process.stderr.write(`security-team: ${error.message}\n`);
  process.exit(1);
}
