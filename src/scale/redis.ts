import { Redis } from "ioredis";

/**
 * The Redis that replicas share (`REDIS_URL`). `connectRedis` waits until the server answers, so a
 * wrong address or password stops the app at start with one line that says which, instead of a
 * stack trace or a process that retries forever in the background.
 */
export async function connectRedis(url: string, name = "security-team"): Promise<Redis> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed?.protocol !== "redis:" && parsed?.protocol !== "rediss:") {
    throw new RedisConfigError("REDIS_URL is not a URL (expected redis://[:password@]host:port)");
  }
  const where = `${parsed.hostname}:${parsed.port || "6379"}`;
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    // BullMQ's workers block on Redis: their commands must wait for a reconnect, not fail.
    maxRetriesPerRequest: null,
    // At start, one failed connection is an answer: say so rather than retry in the background.
    retryStrategy: () => null,
  });
  // The first error says why (refused, wrong password); `connect` then only says "closed".
  let first: unknown;
  const remember = (error: unknown) => {
    first ??= error;
  };
  redis.on("error", remember);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new RedisConfigError(`REDIS_URL: cannot use Redis at ${where}: ${reason(first ?? error)}`);
  }
  redis.off("error", remember);
  redis.on("error", () => {}); // ioredis reconnects; BullMQ and the locks report what fails
  // Connected: from now on a dropped connection is retried, as every replica must survive a Redis restart.
  redis.options.retryStrategy = (attempt) => Math.min(attempt * 200, 5_000);
  return redis;
}

/** Bad configuration, told in one line. */
/** Checks `REDIS_URL` and lets go of the connection: for a start-up check before anything else uses it. */
export async function checkRedis(url: string): Promise<void> {
  (await connectRedis(url, "security-team-check")).disconnect();
}

export class RedisConfigError extends Error {
  override name = "RedisConfigError";
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/WRONGPASS|invalid username-password|NOAUTH/i.test(message)) {
    return "the password (or user) in REDIS_URL is wrong";
  }
  if (/ECONNREFUSED/.test(message)) return "connection refused (is redis-server running there?)";
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return "unknown host";
  return message.split("\n")[0] ?? message;
}
