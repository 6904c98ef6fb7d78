import type { Logger } from "pino";
import type { Probot } from "probot";
import { ConfigError } from "../core/config.js";
import { type AppDeps, createRuntime } from "../core/context.js";
import { messageOf } from "../core/executor.js";
import { onShutdown } from "../shutdown.js";
import { type CronMatcher, HOURLY, parseCron } from "./cron.js";
import { sweepInstallation } from "./sweep.js";

/**
 * The in-process schedule: every minute that matches `SWEEP_CRON` (default hourly, UTC; `off`
 * disables it) every installation is swept. The timer never keeps the process alive, a sweep still
 * running when the next one is due is not doubled, and `stop()` lets the current installation
 * finish before resolving. With several replicas run it in one only (see the README).
 */

export interface Scheduler {
  /** No new sweeps; resolves when the running one (if any) has stopped after its current installation. */
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  matcher: CronMatcher;
  /** One sweep of everything; `stopping()` turns true when the scheduler is stopped. */
  run(stopping: () => boolean): Promise<void>;
  log: Pick<Logger, "error">;
  clock?: () => number;
}

const MINUTE = 60_000;

export function startScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? Date.now;
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const arm = () => {
    if (stopped) return;
    timer = setTimeout(tick, MINUTE - (clock() % MINUTE));
    timer.unref();
  };
  const tick = () => {
    const minute = new Date(Math.floor(clock() / MINUTE) * MINUTE);
    if (!running && options.matcher(minute)) {
      running = options
        .run(() => stopped)
        .catch((error) => options.log.error({ error: messageOf(error) }, "scheduled sweep failed"))
        .finally(() => {
          running = undefined;
        });
    }
    arm();
  };
  arm();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Sweeps every organization the app is installed on, one after another. */
export async function sweepAllInstallations(
  app: Probot,
  deps: AppDeps,
  stopping: () => boolean,
): Promise<void> {
  const appOctokit = await app.auth();
  const pages = appOctokit.paginate.iterator(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  for await (const { data: installations } of pages) {
    for (const installation of installations) {
      if (stopping()) return;
      const account = installation.account;
      // The charter lives in an organization; a user account has none.
      if (installation.target_type !== "Organization" || !account || !("login" in account)) continue;
      const log = app.log.child({ installation: installation.id, org: account.login });
      try {
        const rt = createRuntime({
          octokit: await app.auth(installation.id),
          log,
          org: account.login,
          env: deps.env,
          self: deps.self,
          dryRun: deps.env.DRY_RUN === "true",
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
        });
        await sweepInstallation(rt);
      } catch (error) {
        log.error({ error: messageOf(error) }, "sweep of installation failed");
      }
    }
  }
}

/**
 * Starts the schedule for the app unless `SWEEP_CRON=off`; a bad expression fails startup with its
 * reason. On SIGTERM (see src/shutdown.ts) the running sweep finishes its installation first.
 */
export function scheduleSweeps(app: Probot, deps: AppDeps): Scheduler | undefined {
  const cron = deps.env.SWEEP_CRON?.trim() || HOURLY;
  if (cron === "off") return undefined;
  let matcher: CronMatcher;
  try {
    matcher = parseCron(cron);
  } catch (error) {
    throw new ConfigError(
      `SWEEP_CRON: ${(error as Error).message}: set a 5-field cron expression in UTC such as "0 * * * *", or "off"`,
    );
  }
  const scheduler = startScheduler({
    matcher,
    run: (stopping) => sweepAllInstallations(app, deps, stopping),
    log: app.log,
  });
  onShutdown(() => scheduler.stop());
  return scheduler;
}
