import { formatError } from "../charter/loader.js";
import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../context.js";
import { describeAction } from "../core/actions.js";
import { type ActionResult, messageOf } from "../core/executor.js";
import { sweepKey, teamKey } from "../core/serialize.js";
import { advanceReaffirmation } from "../lifecycle/reaffirmation-run.js";
import { reconcileTeam, type SyncOutcome } from "../membership/sync.js";
import { advanceTermEnds } from "../membership/term.js";
import { type MirrorTarget, mirrorAdvisoryComments } from "../reports/advisory-comments-mirror.js";
import { type PollOutcome, pollAdvisories } from "../reports/poll.js";
import { openReportPages } from "./read.js";
import { staleActions } from "./stages.js";

/** What one sweep did, for `--json`, the CLI's text output and the log. Never report contents. */
export interface SweepSummary {
  org: string;
  dryRun: boolean;
  /** Anything but `ok`: the sweep stopped before acting on anything. */
  charter: "ok" | "invalid" | "missing" | "unreadable";
  /** Why the charter could not be used, `file:line:col: message`. */
  charterErrors?: string[];
  advisories?: PollOutcome;
  team?: SyncOutcome;
  reports?: ReportsOutcome;
  reaffirmation?: string[];
  /** Charter pull requests for term ends, one line each. */
  terms?: string[];
  /** Steps that threw; the others still ran. */
  failures: { step: SweepStep; error: string }[];
}

export type SweepStep = "charter" | "advisories" | "team" | "reports" | "reaffirmation" | "terms";

export interface ReportsOutcome {
  /** Open tracking issues looked at. */
  open: number;
  /** One line per write (or planned write, in a dry run): `comment on org/repo#12: …`. */
  actions: { target: string; why: string; outcome: "applied" | "failed" | "planned" }[];
}

/**
 * The sweep's steps, passed in (as peribolos passes its adder and remover) so that its tests run it
 * with fakes; each reads and writes through the runtime it is given.
 */
export interface SweepSteps {
  pollAdvisories(rt: Runtime, charter: Charter): Promise<PollOutcome>;
  reconcileTeam(rt: Runtime): Promise<SyncOutcome>;
  mirrorAdvisoryComments(rt: Runtime, charter: Charter, targets: MirrorTarget[]): Promise<ActionResult[]>;
  advanceReaffirmation(rt: Runtime, charter: Charter): Promise<string[]>;
  advanceTermEnds(rt: Runtime, charter: Charter): Promise<string[]>;
}

export const sweepSteps: SweepSteps = {
  pollAdvisories,
  reconcileTeam,
  mirrorAdvisoryComments,
  advanceReaffirmation,
  advanceTermEnds,
};

/**
 * One installation's periodic work, in order: poll advisories, reconcile the team, the stale stages
 * of every open report, the reaffirmation, then term ends. Nothing runs on a charter that does not validate.
 * A step that throws is logged and recorded, and the next step still runs. The whole sweep holds
 * the org's sweep lock, and the reconcile the team's lock, as the webhooks that change the team do.
 */
export function sweepInstallation(rt: Runtime, steps: SweepSteps = sweepSteps): Promise<SweepSummary> {
  return rt.locks.run(sweepKey(rt.org), () => sweep(rt, steps));
}

async function sweep(rt: Runtime, steps: SweepSteps): Promise<SweepSummary> {
  const summary: SweepSummary = { org: rt.org, dryRun: rt.dryRun, charter: "ok", failures: [] };
  let charter: Charter;
  try {
    const read = await rt.charter();
    if (!read.ok) {
      summary.charter = "missing" in read ? "missing" : "invalid";
      summary.charterErrors = read.errors.map(formatError);
      rt.log.warn({ org: rt.org, errors: summary.charterErrors }, "sweep: charter not usable; nothing done");
      return summary;
    }
    charter = read.charter;
  } catch (error) {
    summary.charter = "unreadable";
    summary.failures.push({ step: "charter", error: messageOf(error) });
    rt.log.error({ org: rt.org, error: messageOf(error) }, "sweep: cannot read the charter; nothing done");
    return summary;
  }

  const step = async <T>(name: SweepStep, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      summary.failures.push({ step: name, error: messageOf(error) });
      rt.log.error({ org: rt.org, step: name, error: messageOf(error) }, "sweep step failed");
      return undefined;
    }
  };
  const set = <K extends keyof SweepSummary>(key: K, value: SweepSummary[K] | undefined) => {
    if (value !== undefined) summary[key] = value;
  };
  set("advisories", await step("advisories", () => steps.pollAdvisories(rt, charter)));
  set("team", await step("team", () => rt.locks.run(teamKey(rt.org), () => steps.reconcileTeam(rt))));
  // A refused sync (the team renamed or deleted, a safety valve) leaves the team as it was: a failure.
  if (summary.team?.status === "refused") {
    const error = summary.team.plan.reason ?? "the team sync was refused";
    summary.failures.push({ step: "team", error });
    rt.log.error({ org: rt.org, step: "team", error }, "sweep step failed");
  }
  set("reports", await step("reports", () => sweepReports(rt, charter, steps.mirrorAdvisoryComments)));
  set("reaffirmation", await step("reaffirmation", () => steps.advanceReaffirmation(rt, charter)));
  set("terms", await step("terms", () => steps.advanceTermEnds(rt, charter)));
  rt.log.info(
    {
      org: rt.org,
      reports: summary.reports?.open,
      writes: summary.reports?.actions.length,
      failures: summary.failures.length,
    },
    "sweep done",
  );
  return summary;
}

/** The stale stages of every open report, a page at a time: read 100, write what they need, go on. */
export async function sweepReports(
  rt: Runtime,
  charter: Charter,
  mirror: SweepSteps["mirrorAdvisoryComments"],
): Promise<ReportsOutcome> {
  const outcome: ReportsOutcome = { open: 0, actions: [] };
  const self = await rt.self();
  for await (const page of openReportPages(rt.octokit, charter, self)) {
    outcome.open += page.length;
    // Opt-in: the advisory's conversation is copied in first; it counts from the next sweep on.
    const mirrorTargets = page.flatMap((r) =>
      r.issue ? [{ number: r.number, ...r.issue, ownMarkers: r.comments.flatMap((c) => c.markers) }] : [],
    );
    if (mirrorTargets.length > 0) record(await mirror(rt, charter, mirrorTargets));
    record(await rt.apply(page.flatMap((report) => staleActions(charter, report, rt.now))));
  }
  return outcome;

  function record(results: ActionResult[]) {
    for (const result of results) {
      outcome.actions.push({
        target: describeAction(result.action),
        why: result.action.why,
        outcome: result.outcome,
      });
    }
  }
}
