import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GitHub } from "../core/executor.js";
import { messageOf } from "../core/executor.js";
import type { KeyedMutex } from "../core/serialize.js";

/** One row of `GET /app/hook/deliveries` (the fields this needs). */
export interface DeliveryRow {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
}

/**
 * The deliveries to ask GitHub to redeliver: for each delivery GUID that never got a 2xx answer,
 * its latest attempt. A GUID answered 2xx at any attempt (the first, or a redelivery) is done.
 */
export function deliveriesToRedeliver(rows: DeliveryRow[]): DeliveryRow[] {
  const byGuid = new Map<string, DeliveryRow[]>();
  for (const row of rows) byGuid.set(row.guid, [...(byGuid.get(row.guid) ?? []), row]);
  const failed: DeliveryRow[] = [];
  for (const attempts of byGuid.values()) {
    if (attempts.some((a) => a.status_code >= 200 && a.status_code < 300)) continue;
    const latest = attempts.reduce((a, b) => (b.id > a.id ? b : a));
    failed.push(latest);
  }
  return failed.sort((a, b) => a.id - b.id);
}

/** Where the high-water mark and the "already asked" marks live: Redis, or this process's memory. */
export interface DeliveryMemory {
  /** The newest delivery id already looked at. */
  mark(): Promise<number | undefined>;
  setMark(id: number): Promise<void>;
  /** True the first time a GUID is claimed for redelivery, in the whole cluster; false after. */
  claim(guid: string): Promise<boolean>;
}

const MARK_KEY = "security-team:deliveries:mark";
const CLAIM_PREFIX = "security-team:deliveries:redelivered:";
/** GitHub redelivers only deliveries of the last 3 days: a claim need not outlive that. */
const CLAIM_SECONDS = 3 * 24 * 3600;
/** With no mark yet (first start), how far back to look. */
const FIRST_LOOK_MS = 24 * 3600_000;

export function redisDeliveryMemory(redis: Redis): DeliveryMemory {
  return {
    async mark() {
      const value = await redis.get(MARK_KEY);
      return value === null ? undefined : Number(value);
    },
    async setMark(id) {
      // Only ever forward, whichever replica writes last.
      await redis.eval(
        "local c = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end",
        1,
        MARK_KEY,
        String(id),
      );
    },
    async claim(guid) {
      return (await redis.set(`${CLAIM_PREFIX}${guid}`, "1", "EX", CLAIM_SECONDS, "NX")) === "OK";
    },
  };
}

export function memoryDeliveryMemory(): DeliveryMemory {
  let mark: number | undefined;
  const claimed = new Set<string>();
  return {
    mark: async () => mark,
    setMark: async (id) => {
      mark = Math.max(mark ?? 0, id);
    },
    claim: async (guid) => !claimed.has(guid) && Boolean(claimed.add(guid)),
  };
}

/**
 * Nothing is lost while the app is down: lists the app's deliveries since the last look (newest
 * first, stopping at the mark), asks GitHub to redeliver each that failed and has not succeeded
 * since (once per GUID), then moves the mark. Runs under one lock, so replicas take turns.
 */
export async function redeliverFailed(
  appOctokit: GitHub,
  memory: DeliveryMemory,
  locks: KeyedMutex,
  log: Pick<Logger, "info" | "warn">,
  now = Date.now(),
): Promise<string[]> {
  // The app's deliveries, not an org's: one key per app (its replicas share it through Redis).
  return locks.run("deliveries", async () => {
    const mark = await memory.mark();
    const rows: DeliveryRow[] = [];
    const pages = appOctokit.paginate.iterator(appOctokit.rest.apps.listWebhookDeliveries, { per_page: 100 });
    reading: for await (const { data } of pages) {
      for (const row of data as DeliveryRow[]) {
        const id = Number(row.id);
        if (mark !== undefined ? id <= mark : Date.parse(row.delivered_at) < now - FIRST_LOOK_MS)
          break reading;
        rows.push({ id, guid: row.guid, delivered_at: row.delivered_at, status_code: row.status_code });
      }
    }
    const asked: string[] = [];
    for (const row of deliveriesToRedeliver(rows)) {
      if (!(await memory.claim(row.guid))) continue;
      try {
        await appOctokit.rest.apps.redeliverWebhookDelivery({ delivery_id: row.id });
        asked.push(row.guid);
      } catch (error) {
        log.warn({ delivery: row.guid, error: messageOf(error) }, "redelivery request failed");
      }
    }
    const newest = rows.reduce((max, r) => Math.max(max, r.id), mark ?? 0);
    if (newest > 0) await memory.setMark(newest);
    if (asked.length > 0) log.info({ deliveries: asked }, "asked GitHub to redeliver failed deliveries");
    return asked;
  });
}
