import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { commandHandler } from "./commands/dispatch.js";
import { type AppDeps, buildContext, type Handler } from "./core/context.js";
import { acceptedPermissions } from "./core/executor.js";
import { identityResolver } from "./core/identity.js";
import { secureLogger } from "./core/logger.js";
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
    secureLogger(app.log);
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
