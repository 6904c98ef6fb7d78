/**
 * One replica of the app, as its own OS process: Probot's real server and the real app with
 * `REDIS_URL`, talking to the fake GitHub at `FAKE_GITHUB_URL`. Prints `ready <port>` on stdout.
 * Probot's throttling and retries are off (as in every test); BullMQ's timings are short so that a
 * killed replica's job moves to the other within seconds, yet long enough that a replica starved of
 * CPU on a loaded machine (leases renewed late) keeps its job and its object locks.
 */
import pino from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createApp } from "../../src/index.js";
import { RedisConfigError } from "../../src/scale/redis.js";
import { gracefulStop } from "../../src/shutdown.js";

const env = process.env;
const log = pino({ level: env.LOG_LEVEL ?? "warn" }, pino.destination(2));
const ProbotForReplica = Probot.defaults({
  appId: Number(env.APP_ID),
  privateKey: env.PRIVATE_KEY as string,
  secret: env.WEBHOOK_SECRET as string,
  baseUrl: env.FAKE_GITHUB_URL as string,
  log,
  Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
    ...instanceOptions,
    retry: { enabled: false },
    throttle: { enabled: false },
  })),
});
const server = new Server({ host: "127.0.0.1", port: Number(env.PORT), log, Probot: ProbotForReplica });
try {
  await server.load(
    createApp({
      env,
      sleep: async () => {},
      // The benchmark keeps BullMQ's production timings; tests shorten them.
      queue:
        env.REPLICA_TIMINGS === "production"
          ? { concurrency: 20 }
          : { backoffMs: 20, lockDurationMs: 3_000, stalledIntervalMs: 500, concurrency: 20 },
    }),
  );
} catch (error) {
  if (!(error instanceof RedisConfigError)) throw error;
  process.stderr.write(`security-team: ${error.message}\n`);
  process.exit(1);
}
await server.start();
process.stdout.write(`ready ${env.PORT}\n`);
process.once("SIGTERM", gracefulStop(server, { log: { info: () => {}, error: (m) => log.error(m) } }));
