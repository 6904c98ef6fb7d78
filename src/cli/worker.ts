import { readFileSync } from "node:fs";
import pino from "pino";
import { Probot } from "probot";
import { createApp } from "../index.js";
import { checkRedis } from "../scale/redis.js";
import { PerInstallationOctokit } from "../scale/throttle.js";
import { gracefulStop } from "../shutdown.js";
import type { CliCommand } from "./types.js";
import { UsageError } from "./types.js";

/**
 * A replica without the HTTP server: it takes webhook and sweep jobs from the queue in Redis and
 * runs them as the app would. Stops gracefully on SIGTERM or SIGINT (running jobs finish).
 */
export const workerCommand: CliCommand = {
  name: "worker",
  usage: "security-team worker",
  summary: "run jobs from the queue in Redis (REDIS_URL) without serving webhooks, as one more replica",
  async run(args, io) {
    if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
    const env = io.env;
    if (!env.REDIS_URL)
      throw new UsageError("needs REDIS_URL: a worker takes its jobs from the queue in Redis");
    if (!(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH))) {
      throw new UsageError("needs the app's credentials: APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH");
    }
    await checkRedis(env.REDIS_URL); // before Probot's own connection, which would log every failure
    const key = env.PRIVATE_KEY ?? readFileSync(env.PRIVATE_KEY_PATH as string, "utf8");
    const log = pino({ level: env.LOG_LEVEL ?? "info" }, pino.destination(2));
    const probot = new Probot({
      appId: env.APP_ID,
      privateKey: key.includes("-----BEGIN") ? key : Buffer.from(key, "base64").toString("utf8"),
      redisConfig: env.REDIS_URL,
      log,
      Octokit: PerInstallationOctokit,
      ...(env.GHE_HOST ? { baseUrl: `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` } : {}),
    });
    await createApp({ env })(probot, { cwd: process.cwd(), addHandler: () => {} });
    log.info("worker started: taking jobs from the queue");
    const stop = gracefulStop(
      { stop: async () => {} },
      { log: { info: (m) => log.info(m), error: (m) => log.error(m) } },
    );
    await new Promise<void>((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    await stop(); // exits the process when the running jobs have finished
    return 0;
  },
};
