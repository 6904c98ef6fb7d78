import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { Mutex } from "redis-semaphore";
import { createKeyedMutex, type KeyedMutex } from "../core/serialize.js";
import { connectRedis } from "./redis.js";

/** Where the locks live in Redis: `security-team:lock:<key>`, the key the in-process serialiser uses. */
export const LOCK_PREFIX = "security-team:lock:";

export interface RedisLockOptions {
  /** How long a lock outlives a holder that stopped renewing it (a killed replica). */
  lockTimeoutMs?: number;
  /** How long a task waits for a busy object before it gives up (its job is then retried). */
  acquireTimeoutMs?: number;
}

/**
 * The same keyed mutex as in one process, held in Redis so that every replica (and the CLI) takes
 * it: work on one object never runs in two processes at once. `redis-semaphore`'s mutex does the
 * Redis part: acquired with a random token, renewed while the task runs, released only by the
 * token that holds it (a lock that expired and was taken by another is never released by us).
 * Tasks of one process queue on the in-process mutex first, so only one of them polls Redis.
 */
export function createRedisLocks(redis: Redis, log: Pick<Logger, "error">, options: RedisLockOptions = {}) {
  const local = createKeyedMutex();
  const lockTimeout = options.lockTimeoutMs ?? 30_000;
  const acquireTimeout = options.acquireTimeoutMs ?? 10 * 60_000;
  function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return local.run(key, async () => {
      const mutex = new Mutex(redis, `${LOCK_PREFIX}${key}`, {
        lockTimeout,
        acquireTimeout,
        retryInterval: 50,
        refreshInterval: lockTimeout / 3,
        // Renewal failed (Redis unreachable longer than the timeout): another process may take the
        // object now. The task goes on (stopping half-way is worse); idempotent writes converge.
        onLockLost: (error) => log.error({ key, error: error.message }, "lost the lock on an object"),
      });
      await mutex.acquire();
      try {
        return await task();
      } finally {
        await mutex
          .release()
          .catch((error: Error) => log.error({ key, error: error.message }, "lock release failed"));
      }
    });
  }
  function runAll<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(keys)].sort();
    return first === undefined ? task() : run(first, () => runAll(rest, task));
  }
  const locks: KeyedMutex = { run, runAll, size: local.size };
  return locks;
}

/**
 * Runs a CLI command's work under the cluster's locks when `REDIS_URL` is set (the app's replicas
 * see the CLI as one more process), under the in-process ones otherwise.
 */
export async function withSharedLocks<T>(
  env: NodeJS.ProcessEnv,
  rt: { locks: KeyedMutex; log: Pick<Logger, "error"> },
  task: () => Promise<T>,
): Promise<T> {
  if (!env.REDIS_URL) return task();
  const redis = await connectRedis(env.REDIS_URL, "security-team-cli");
  rt.locks = createRedisLocks(redis, rt.log);
  try {
    return await task();
  } finally {
    redis.disconnect();
  }
}
