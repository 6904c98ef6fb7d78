import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { Context } from "probot";
import { type CharterLocation, type CharterRead, charterLocation } from "./charter/source.js";
import type { Action } from "./core/actions.js";
import { now as clockNow } from "./core/clock.js";
import {
  createDisclosureGuard,
  type DisclosureGuard,
  learnPayload,
  watchResponses,
} from "./core/disclosure.js";
import {
  type ActionResult,
  createDryRunExecutor,
  createExecutor,
  type Executor,
  type GitHub,
} from "./core/executor.js";
import type { Identity } from "./core/identity.js";
import { retryRateLimits } from "./core/ratelimit.js";
import { inProcessLocks, type KeyedMutex, orgOf } from "./core/serialize.js";
import { readCharter } from "./github/charter-source.js";

/** Counts a client's requests (`/metrics`); see src/scale/metrics.ts. */
export interface RequestObserver {
  observe(octokit: GitHub, org: string): void;
}

/**
 * What every piece of behaviour gets, from a webhook or from the CLI: a client for reads, the clock,
 * the app's identity, the charter, and `apply`, the one door to writes. Code gathers state, asks a pure
 * planner, and applies its actions.
 */
export interface Runtime {
  octokit: GitHub;
  log: Logger;
  now: Date;
  org: string;
  self(): Promise<Identity>;
  where: CharterLocation;
  /** The charter on the default branch, read once per event. */
  charter(): Promise<CharterRead>;
  apply(actions: Action[]): Promise<ActionResult[]>;
  readonly dryRun: boolean;
  /**
   * What this delivery or sweep has learnt about report data and repositories' visibility; the executor
   * asks it before every write (guarantee 1). Code that computes figures per member registers them here.
   */
  disclosure: DisclosureGuard;
  /** Work on one object runs under its key: in this process, or in Redis across replicas. */
  locks: KeyedMutex;
}

/** A webhook's runtime: the same, plus the event. */
export interface AppContext<E extends EmitterWebhookEventName = EmitterWebhookEventName> extends Runtime {
  event: E;
  deliveryId: string;
  payload: EmitterWebhookEvent<E>["payload"];
  /** How many writes failed while handling this event (the delivery then fails, so it can be redelivered). */
  failedWrites(): number;
  /**
   * Applies writes whose failures the caller answers itself (a command replies with GitHub's reason):
   * they do not fail the delivery.
   */
  applyAnswered(actions: Action[]): Promise<ActionResult[]>;
}

export interface Handler<E extends EmitterWebhookEventName = EmitterWebhookEventName> {
  /** Shown in logs: which handler failed. */
  name: string;
  events: E[];
  run(ctx: AppContext<E>): Promise<void>;
}

/** Keeps the event type attached to the handler for the table in `src/index.ts`. */
export function handler<E extends EmitterWebhookEventName>(h: Handler<E>): Handler {
  return h as unknown as Handler;
}

export interface AppDeps {
  self(): Promise<Identity>;
  env: NodeJS.ProcessEnv;
  /** Waits between rate-limit retries; tests replace it. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-object locks; the in-process ones unless `REDIS_URL` is set. */
  locks?: KeyedMutex;
  metrics?: RequestObserver;
}

/** Refuses every write request: a dry-run must not be able to change GitHub, whatever the code says. */
export function makeReadOnly(octokit: GitHub): GitHub {
  octokit.hook.before("request", (options) => {
    const method = String(options.method).toUpperCase();
    const isQuery = options.url === "/graphql" && /^\s*(query\b|\{)/.test(String(options.query ?? ""));
    // An installation client exchanges its token through this hook too; that POST changes nothing.
    const isToken = options.url === "/app/installations/{installation_id}/access_tokens";
    if (method !== "GET" && method !== "HEAD" && !isQuery && !isToken) {
      throw new Error(`dry-run: refused ${method} ${options.url}`);
    }
  });
  return octokit;
}

export interface RuntimeOptions {
  octokit: GitHub;
  log: Logger;
  org: string;
  env: NodeJS.ProcessEnv;
  self(): Promise<Identity>;
  dryRun: boolean;
  sleep?: (ms: number) => Promise<void>;
  locks?: KeyedMutex;
  metrics?: RequestObserver;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { log, org, env, dryRun } = options;
  options.metrics?.observe(options.octokit, org);
  const client = retryRateLimits(options.octokit, {
    log,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const octokit = dryRun ? makeReadOnly(client) : client;
  const disclosure = createDisclosureGuard();
  watchResponses(octokit, disclosure);
  const executor: Executor = dryRun
    ? createDryRunExecutor({ log, guard: disclosure })
    : createExecutor(octokit, { log, guard: disclosure, self: options.self });
  const where = charterLocation(org, env);
  const now = clockNow(env);
  let charter: Promise<CharterRead> | undefined;
  return {
    octokit,
    log,
    now,
    org,
    self: options.self,
    where,
    charter: () => {
      charter ??= readCharter(octokit, where, now).then((read) => {
        if (read.ok) disclosure.learnMembers(read.charter.members.map((m) => m.login));
        return read;
      });
      return charter;
    },
    apply: (actions) => executor.apply(actions),
    dryRun,
    disclosure,
    locks: options.locks ?? inProcessLocks,
  };
}

export function buildContext<E extends EmitterWebhookEventName>(
  context: Context<E>,
  deps: AppDeps,
): AppContext<E> | undefined {
  const org = orgOf(context.payload);
  if (!org) return undefined;
  // Every event the app handles names its installation (without one the client has no token) and its
  // sender (whose rights decide everything): anything else is not from GitHub as documented.
  const { installation, sender } = context.payload as {
    installation?: { id?: number };
    sender?: { login?: string };
  };
  const missing = !installation?.id ? "installation" : !sender?.login ? "sender" : undefined;
  if (missing) {
    context.log.warn({ event: context.name, delivery: context.id }, `event without ${missing}: ignored`);
    return undefined;
  }
  const runtime = createRuntime({
    octokit: context.octokit,
    log: context.log,
    org,
    env: deps.env,
    self: deps.self,
    dryRun: deps.env.DRY_RUN === "true",
    ...runtimeDeps(deps),
  });
  learnPayload(runtime.disclosure, context.payload);
  let failed = 0;
  return {
    ...runtime,
    async apply(actions) {
      const results = await runtime.apply(actions);
      failed += results.filter((r) => r.outcome === "failed").length;
      return results;
    },
    failedWrites: () => failed,
    applyAnswered: (actions) => runtime.apply(actions),
    event: context.name as E,
    deliveryId: context.id,
    payload: context.payload as EmitterWebhookEvent<E>["payload"],
  };
}

/** The parts of the app's dependencies every runtime it makes shares. */
export function runtimeDeps(deps: AppDeps): Pick<RuntimeOptions, "sleep" | "locks" | "metrics"> {
  return {
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.locks ? { locks: deps.locks } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };
}
