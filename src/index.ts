import pino from "pino";
import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { commandHandler } from "./commands/dispatch.js";
import { type AppDeps, buildContext, type Handler } from "./core/context.js";
import { acceptedPermissions } from "./core/executor.js";
import { identityResolver } from "./core/identity.js";
import { eventKey, inProcessLocks } from "./core/serialize.js";
import { governanceHandlers } from "./governance/handlers.js";
import { lifecycleHandlers } from "./lifecycle/handlers.js";
import { membershipHandlers } from "./membership/handlers.js";
import { reportsHandlers } from "./reports/handlers.js";
import { signoffHandlers } from "./signoff/handlers.js";
import { sweepHandlers } from "./sweep/handlers.js";
import { scheduleSweeps } from "./sweep/schedule.js";

/** Every webhook the app reacts to. Each capability lists its own (event → handler) in `handlers.ts`. */
export const handlers: Handler[] = [
  ...membershipHandlers, // team sync on charter push and install; drift
  ...governanceHandlers, // the `charter` check on charter pull requests
  ...reportsHandlers, // advisory intake, claim by label
  ...signoffHandlers, // onboarding sign-off on closes and pull requests
  ...lifecycleHandlers, // need-to-know, reaffirmation
  ...sweepHandlers,
  commandHandler, // slash commands in tracking issues and the charter repo
];

export function createApp(overrides: Partial<AppDeps> = {}): ApplicationFunction {
  return (app: Probot, { addHandler }: ApplicationFunctionOptions) => {
    const deps: AppDeps = { self: identityResolver(() => app.auth()), env: process.env, ...overrides };
    keepReportsOutOfLogs(app, deps.env);
    keepPayloadsOutOfErrors(app.log);
    for (const h of handlers) {
      app.on(h.events, (context) => {
        // Handlers for the same object run one after another (each takes one key: no deadlock).
        const key = eventKey(context.name, context.payload);
        return key ? inProcessLocks.run(key, () => runHandler(h, context)) : runHandler(h, context);
      });
    }
    scheduleSweeps(app, deps); // the periodic sweep (SWEEP_CRON; `off` in tests)
    addHandler((req, res) => {
      if (req.method !== "GET" || req.url !== "/healthz") return false;
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return true;
    });

    async function runHandler(h: Handler, context: Context): Promise<void> {
      const ctx = buildContext(context, deps);
      if (!ctx) return;
      try {
        await h.run(ctx);
        // Handlers finish what they can; a failed write fails the delivery, so that redelivering it
        // (every handler is idempotent) completes the work.
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

/**
 * Probot logs every webhook payload at `debug` (and Octokit every request body), and those carry
 * report summaries and descriptions. Unless an operator opts in, cap the level at `info`; pino passes
 * the level on to the per-event and per-client child loggers.
 */
function keepReportsOutOfLogs(app: Probot, env: NodeJS.ProcessEnv): void {
  if (env.LOG_REPORT_CONTENTS === "true" || !app.log.isLevelEnabled("debug")) return;
  app.log.warn(
    `LOG_LEVEL=${app.log.level} would log webhook payloads and request bodies, which contain report contents: logging at info instead (set LOG_REPORT_CONTENTS=true to allow it)`,
  );
  app.log.level = "info";
}

/**
 * Probot and @octokit/webhooks log a failed event's error whole, with the event's payload (`event`,
 * report text included) and Octokit's request and response attached. The app's logger serializes
 * errors without them; loggers made from it later (per event, per client) inherit that.
 */
function keepPayloadsOutOfErrors(log: Probot["log"]): void {
  const slot = log as unknown as Record<symbol, Record<string, (value: unknown) => unknown>>;
  const serializers = pino.symbols.serializersSym;
  slot[serializers] = {
    ...slot[serializers],
    err: (error) => withoutPayloads(pino.stdSerializers.err(error as Error)),
  };
}

function withoutPayloads(serialized: Record<string, unknown>): Record<string, unknown> {
  const { event: _event, request: _request, response: _response, aggregateErrors, ...rest } = serialized;
  return Array.isArray(aggregateErrors)
    ? { ...rest, aggregateErrors: aggregateErrors.map((e) => withoutPayloads(e as Record<string, unknown>)) }
    : rest;
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
