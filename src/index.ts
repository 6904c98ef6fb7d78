import { type ApplicationFunction, type ApplicationFunctionOptions, Context, type Probot } from "probot";
import { commandHandler } from "./commands/dispatch.js";
import { type AppDeps, buildContext, type Handler } from "./context.js";
import { now as clockNow } from "./core/clock.js";
import { acceptedPermissions } from "./core/executor.js";
import { identityResolver } from "./core/identity.js";
import { secureLogger } from "./core/logger.js";
import { eventKey, inProcessLocks } from "./core/serialize.js";
import { governanceHandlers } from "./governance/handlers.js";
import { membershipHandlers } from "./membership/handlers.js";
import { reportsHandlers } from "./reports/handlers.js";
import { answerWebhooksFromQueue } from "./scale/intake.js";
import { createRedisLocks } from "./scale/locks.js";
import { createMetrics, serveMetrics } from "./scale/metrics.js";
import { createWorkQueue, type QueueTuning, type WebhookJob } from "./scale/queue.js";
import { memoryDeliveryMemory, redeliverFailed, redisDeliveryMemory } from "./scale/redeliver.js";
import { connectRedis } from "./scale/redis.js";
import { onShutdown } from "./shutdown.js";
import { signoffHandlers } from "./signoff/handlers.js";
import { orgInstallations, scheduleSweeps, sweepCron, sweepOrg } from "./sweep/schedule.js";

/** Every webhook the app reacts to. Each capability lists its own (event → handler) in `handlers.ts`. */
export const handlers: Handler[] = [
  ...membershipHandlers, // team sync on charter push and install; drift
  ...governanceHandlers, // the `charter` check on charter pull requests
  ...reportsHandlers, // advisory intake, claim by label
  ...signoffHandlers, // onboarding sign-off on closes and pull requests
  commandHandler, // slash commands in tracking issues and the charter repo
];

/** What tests and the worker command may set besides the app's dependencies. */
export interface AppOptions extends Partial<AppDeps> {
  /** BullMQ's timings (tests shorten them); production uses the defaults. */
  queue?: QueueTuning;
}

export function createApp(options: AppOptions = {}): ApplicationFunction {
  const { queue: tuning, ...overrides } = options;
  return async (app: Probot, { addHandler }: ApplicationFunctionOptions) => {
    const env = overrides.env ?? process.env;
    const metrics = createMetrics();
    // With REDIS_URL the app is one replica of several: locks, queue and schedule live in Redis.
    const redis = env.REDIS_URL ? await connectRedis(env.REDIS_URL) : undefined;
    const deps: AppDeps = {
      self: identityResolver(() => app.auth()),
      env,
      metrics,
      locks: redis
        ? createRedisLocks(redis, app.log, { lockTimeoutMs: tuning?.lockDurationMs ?? 30_000 })
        : inProcessLocks,
      ...overrides,
    };
    const locks = deps.locks ?? inProcessLocks;
    secureLogger(app.log);
    const cron = sweepCron(deps.env); // the periodic sweep (SWEEP_CRON; `off` in tests)
    const deliveries = redis ? redisDeliveryMemory(redis) : memoryDeliveryMemory();
    const checkDeliveries = async () => {
      try {
        await redeliverFailed(await app.auth(), deliveries, locks, app.log, clockNow(deps.env).getTime());
      } catch (error) {
        app.log.warn({ error: safeError(error).message }, "could not check for failed deliveries");
      }
    };

    // One code path decides what an event does; the transport only carries it there: straight
    // from the HTTP request in one process, or through the queue to any replica's worker.
    const queue = redis
      ? createWorkQueue(
          redis,
          {
            webhook: async (event) => handleEvent(await contextFor(event)),
            installations: async () => {
              await checkDeliveries();
              return orgInstallations(app);
            },
            sweep: (target) => sweepOrg(app, deps, target),
          },
          app.log,
          tuning,
        )
      : undefined;
    app.onAny(async (received) => {
      const context = received as unknown as Context; // Probot's transform makes every event a Context
      if (!handlers.some((h) => handles(h, context))) return;
      const event = eventName(context);
      try {
        // With the queue, HTTP deliveries come here only without WEBHOOK_SECRET (see scale/intake.ts).
        if (queue) await queue.enqueue({ id: context.id, name: context.name, payload: context.payload });
        else await handleEvent(context);
        metrics.webhooks.inc({ event, status: "200" });
      } catch (error) {
        metrics.webhooks.inc({ event, status: String(safeError(error).status ?? 500) });
        throw error;
      }
    });

    if (queue) {
      // A verified delivery is answered 202 once it is stored, not when its handlers are done.
      answerWebhooksFromQueue(app, deps.env, {
        wants: (event) => handlers.some((h) => handles(h, event)),
        enqueue: queue.enqueue,
        answered: (event, status) =>
          metrics.webhooks.inc({ event: eventName(event), status: String(status) }),
      });
      queue.work({
        finished(job, outcome, seconds) {
          const labels = { kind: job.name, event: job.event ?? "" };
          metrics.jobs.inc({ ...labels, outcome });
          metrics.jobDuration.observe(labels, seconds);
        },
      });
      metrics.watchQueue(queue.counts);
      await queue.schedule(cron);
      onShutdown(async () => {
        await queue.close();
        redis?.disconnect();
      });
    } else {
      scheduleSweeps(app, deps, checkDeliveries);
    }
    if (cron !== "off") setTimeout(checkDeliveries, 1_000).unref(); // what failed while the app was down

    addHandler((req, res) => {
      if (req.method !== "GET") return false;
      if (req.url === "/healthz") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
        return true;
      }
      if (req.url === "/metrics") return serveMetrics(metrics, deps.env.METRICS_TOKEN, req, res);
      return false;
    });

    /** A queued event's context, as Probot builds it for a webhook: the installation's client. */
    async function contextFor(event: WebhookJob): Promise<Context> {
      const installation = (event.payload as { installation?: { id?: number } }).installation?.id;
      const octokit = await app.auth(installation);
      return new Context(event as never, octokit, app.log.child({ name: "event", id: event.id }));
    }

    /** Every handler that wants the event, each under the lock of the object it is about. */
    async function handleEvent(context: Context): Promise<void> {
      const key = eventKey(context.name, context.payload);
      const runs = handlers
        .filter((h) => handles(h, context))
        .map((h) => (key ? locks.run(key, () => runHandler(h, context)) : runHandler(h, context)));
      // Each failed handler has logged its error; the delivery (or job) fails with the first.
      const failed = (await Promise.allSettled(runs)).find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    }

    async function runHandler(h: Handler, context: Context): Promise<void> {
      const ctx = buildContext(context, deps);
      if (!ctx) return;
      try {
        await h.run(ctx);
        // Handlers finish what they can; a failed write fails the delivery (or the job, which is
        // retried), so that running it again (every handler is idempotent) completes the work.
        const failed = ctx.failedWrites();
        if (failed > 0) throw new Error(`${failed} GitHub write(s) failed; redeliver this event to finish`);
      } catch (error) {
        ctx.log.error(
          { handler: h.name, event: context.name, delivery: context.id, err: safeError(error) },
          "handler failed",
        );
        throw error;
      }
    }
  };
}

function handles(h: Handler, context: { name: string; payload: unknown }): boolean {
  const action = (context.payload as { action?: unknown }).action;
  return h.events.some((e) => e === context.name || e === `${context.name}.${String(action)}`);
}

function eventName(context: { name: string; payload: unknown }): string {
  const action = (context.payload as { action?: unknown }).action;
  return typeof action === "string" ? `${context.name}.${action}` : context.name;
}

/**
 * Status, message and (on a 403) the permission GitHub asked for: Octokit errors carry the request,
 * whose headers and body must not be logged.
 */
function safeError(error: unknown): { message: string; status?: number; permissions?: string } {
  const e = error as { message?: string; status?: number };
  const permissions = acceptedPermissions(error);
  return {
    message: String(e?.message ?? error).split("\n")[0] ?? "",
    ...(typeof e?.status === "number" ? { status: e.status } : {}),
    ...(permissions ? { permissions } : {}),
  };
}

export default createApp();
