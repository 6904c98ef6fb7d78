import type { Logger } from "pino";
import type { Probot } from "probot";
import { type AppDeps, createRuntime, runtimeDeps } from "../context.js";
import { ConfigError } from "../core/config.js";
import { messageOf } from "../core/executor.js";
import { onShutdown } from "../shutdown.js";
import { type CronMatcher, HOURLY, parseCron } from "./cron.js";
import { type SweepSteps, sweepInstallation, sweepSteps } from "./sweep.js";

/**
 * The in-process schedule: every minute that matches `SWEEP_CRON` (default hourly, UTC; `off`
 * disables it) every installation is swept. The timer never keeps the process alive, a sweep still
 * running when the next one is due is not doubled, and `stop()` lets the current installation
 * finish before resolving. With `REDIS_URL` a BullMQ job scheduler replaces it (src/scale/queue.ts),
 * so that replicas do not each sweep.
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

/** An org the app is installed on, to sweep. */
export interface OrgInstallation {
  installationId: number;
  org: string;
}

/** Every organization the app is installed on (a user account has no charter). */
export async function orgInstallations(app: Probot): Promise<OrgInstallation[]> {
  const appOctokit = await app.auth();
  const found: OrgInstallation[] = [];
  const pages = appOctokit.paginate.iterator(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  for await (const { data: installations } of pages) {
    for (const installation of installations) {
      const account = installation.account;
      if (installation.target_type !== "Organization" || !account || !("login" in account)) continue;
      found.push({ installationId: installation.id, org: account.login });
    }
  }
  return found;
}

/** One org's sweep, as the app runs it (its installation's client, the app's locks); failures are logged. */
export async function sweepOrg(
  app: Probot,
  deps: AppDeps,
  target: OrgInstallation,
  steps: SweepSteps = sweepSteps,
): Promise<void> {
  const log = app.log.child({ installation: target.installationId, org: target.org });
  try {
    const rt = createRuntime({
      octokit: await app.auth(target.installationId),
      log,
      org: target.org,
      env: deps.env,
      self: deps.self,
      dryRun: deps.env.DRY_RUN === "true",
      ...runtimeDeps(deps),
    });
    await sweepInstallation(rt, steps);
  } catch (error) {
    log.error({ error: messageOf(error) }, "sweep of installation failed");
  }
}

/** Sweeps every organization the app is installed on, one after another. */
export async function sweepAllInstallations(
  app: Probot,
  deps: AppDeps,
  stopping: () => boolean,
  steps: SweepSteps = sweepSteps,
): Promise<void> {
  for (const target of await orgInstallations(app)) {
    if (stopping()) return;
    await sweepOrg(app, deps, target, steps);
  }
}

/**
 * Starts the in-process schedule unless `SWEEP_CRON=off`; a bad expression fails startup with its
 * reason. Each tick runs `before` (the redelivery check), then sweeps every installation. On SIGTERM
 * (see src/shutdown.ts) the running sweep finishes its installation first.
 */
export function scheduleSweeps(
  app: Probot,
  deps: AppDeps,
  before: () => Promise<void>,
): Scheduler | undefined {
  const cron = sweepCron(deps.env);
  if (cron === "off") return undefined;
  const matcher = parseCron(cron);
  const scheduler = startScheduler({
    matcher,
    run: async (stopping) => {
      await before();
      await sweepAllInstallations(app, deps, stopping);
    },
    log: app.log,
  });
  onShutdown(() => scheduler.stop());
  return scheduler;
}

/** `SWEEP_CRON` (default hourly), checked: a bad expression stops the app at start with its reason. */
export function sweepCron(env: NodeJS.ProcessEnv): string {
  const cron = env.SWEEP_CRON?.trim() || HOURLY;
  if (cron === "off") return cron;
  try {
    parseCron(cron);
  } catch (error) {
    throw new ConfigError(
      `SWEEP_CRON: ${(error as Error).message}: set a 5-field cron expression in UTC such as "0 * * * *", or "off"`,
    );
  }
  return cron;
}
