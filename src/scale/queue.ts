import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** A verified webhook as it waits in the queue: exactly what `@octokit/webhooks` hands a handler. */
export interface WebhookJob {
  id: string;
  name: string;
  payload: unknown;
}

/** One installation's sweep in one tick of the schedule. */
export interface SweepJob {
  installationId: number;
  org: string;
}

/** What the workers do with each kind of job: the same code the single process runs. */
export interface JobRunners {
  webhook(job: WebhookJob): Promise<void>;
  /** Every installation to sweep now (the tick fans out to one job per installation). */
  installations(): Promise<SweepJob[]>;
  sweep(job: SweepJob): Promise<void>;
}

export interface QueueTuning {
  /** Tries per job before it is kept as failed (default 5). */
  attempts?: number;
  /** First retry delay; each next one doubles (default 5 s). */
  backoffMs?: number;
  /** A job whose worker stopped renewing its lock this long ago is handed to another (default 30 s). */
  lockDurationMs?: number;
  /** How often workers look for such jobs (default 30 s). */
  stalledIntervalMs?: number;
  /** Jobs one process runs at once (default 10; jobs on the same object wait on its lock). */
  concurrency?: number;
}

export interface QueueEvents {
  /** A job ended: `completed`, `retrying` or `failed` (kept, with its reason). */
  finished(
    job: { name: string; event?: string },
    outcome: "completed" | "retrying" | "failed",
    seconds: number,
  ): void;
}

export const QUEUE_NAME = "security-team";
const SCHEDULER_ID = "sweep";

/**
 * The BullMQ transport for work: webhooks and sweeps go into one queue in Redis and every replica's
 * worker takes them out. A webhook's job id is its delivery GUID, so a delivery that reaches two
 * replicas (a load balancer's retry, a redelivery while the first is still queued) is one job.
 */
export function createWorkQueue(redis: Redis, runners: JobRunners, log: Logger, tuning: QueueTuning = {}) {
  const queue = new Queue(QUEUE_NAME, {
    connection: redis,
    defaultJobOptions: {
      attempts: tuning.attempts ?? 5,
      backoff: { type: "exponential", delay: tuning.backoffMs ?? 5_000 },
      // Completed jobs stay a day, so the same delivery id within a day is still recognised;
      // failed jobs stay until someone looks (the reason is on the job).
      removeOnComplete: { age: 24 * 3600, count: 50_000 },
      removeOnFail: false,
    },
  });
  queue.on("error", (error) => log.error({ error: error.message }, "queue: Redis error"));
  let worker: Worker | undefined;

  async function process(job: Job): Promise<void> {
    switch (job.name) {
      case "webhook":
        return runners.webhook(job.data as WebhookJob);
      case "sweep-tick": {
        // One job per installation per tick: its id names the tick, so a tick is never doubled.
        const tick = String(job.id).replace(/:/g, "-");
        const jobs = (await runners.installations()).map((data) => ({
          name: "sweep",
          data,
          opts: { jobId: `sweep-${data.installationId}-${tick}` },
        }));
        await queue.addBulk(jobs);
        return;
      }
      case "sweep":
        return runners.sweep(job.data as SweepJob);
      default:
        log.warn({ job: job.name }, "queue: unknown job kind; dropped");
    }
  }

  return {
    queue,
    /**
     * Stores a verified webhook as a job (the same delivery id is one job). A delivery whose job
     * failed for good and is delivered again (GitHub's "Redeliver") is retried.
     */
    async enqueue(event: WebhookJob): Promise<void> {
      const job = await queue.add("webhook", event, { jobId: event.id });
      if (await job.isFailed()) {
        await job.retry().catch(() => {}); // another replica retried it first
      }
    },
    /** Starts this process's worker. */
    work(events: QueueEvents): Worker {
      worker = new Worker(QUEUE_NAME, process, {
        connection: redis,
        concurrency: tuning.concurrency ?? 10,
        lockDuration: tuning.lockDurationMs ?? 30_000,
        stalledInterval: tuning.stalledIntervalMs ?? 30_000,
      });
      const started = new Map<string, number>();
      worker.on("active", (job) => started.set(job.id ?? "", Date.now()));
      const end = (job: Job, outcome: "completed" | "retrying" | "failed") => {
        const since = started.get(job.id ?? "") ?? Date.now();
        started.delete(job.id ?? "");
        const event = job.name === "webhook" ? eventName(job.data as WebhookJob) : undefined;
        events.finished(
          { name: job.name, ...(event ? { event } : {}) },
          outcome,
          (Date.now() - since) / 1000,
        );
      };
      worker.on("completed", (job) => end(job, "completed"));
      worker.on("failed", (job, error) => {
        if (!job) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1);
        end(job, final ? "failed" : "retrying");
        log[final ? "error" : "warn"](
          { job: job.id, kind: job.name, attempt: job.attemptsMade, error: error.message.split("\n")[0] },
          final ? "job failed; kept in the queue with its reason" : "job failed; will retry",
        );
      });
      worker.on("error", (error) => log.error({ error: error.message }, "worker: Redis error"));
      return worker;
    },
    /**
     * The sweep as a BullMQ job scheduler: one tick per cron match in the whole cluster, whatever the
     * number of replicas (each replica upserts the same scheduler). `off` removes it.
     */
    async schedule(cron: string): Promise<void> {
      if (cron === "off") {
        await queue.removeJobScheduler(SCHEDULER_ID);
        return;
      }
      await queue.upsertJobScheduler(SCHEDULER_ID, { pattern: cron, tz: "UTC" }, { name: "sweep-tick" });
    },
    /** Jobs by state, for `/metrics`. */
    counts: () => queue.getJobCounts("waiting", "active", "delayed", "failed", "prioritized"),
    /** Stops taking jobs and waits for the running ones; unfinished work is taken up by another worker. */
    async close(): Promise<void> {
      await worker?.close();
      await queue.close();
    },
  };
}

export type WorkQueue = ReturnType<typeof createWorkQueue>;

export function eventName(event: WebhookJob): string {
  const action = (event.payload as { action?: unknown }).action;
  return typeof action === "string" ? `${event.name}.${action}` : event.name;
}
