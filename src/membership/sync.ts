import { type CharterError, formatError } from "../charter/loader.js";
import { charterRepo } from "../charter/source.js";
import type { Runtime } from "../context.js";
import type { CheckAnnotation, CheckConclusion } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import { ownCheckRuns } from "../github/check-runs.js";
import { tellChairs } from "./invitations.js";
import { readLeaving } from "./leave.js";
import { planTeamSync, type TeamAction, type Unanswered, WITHDRAWN } from "./plan.js";
import { readFailedInvitations, readTeamSnapshot } from "./read.js";
import { upcomingTermEnds } from "./term.js";

/** One person the executor could not change (blocked user, IdP-managed team, …); the rest applied. */
export interface SyncFailure {
  login: string;
  status?: number;
  error: string;
}

/** What a team reconcile did: applied, nothing to do, or refused by a safety valve (with the reason). */
export interface SyncOutcome {
  status: "applied" | "noop" | "refused" | "invalid-charter";
  /** Markdown: the plan, line by line, with what happened to it (also the `charter` check's summary). */
  summary: string;
  /** What was planned (its `actions` were applied unless refused), with charter errors if invalid. */
  plan: SyncPlan;
  failures: SyncFailure[];
}

/** What a reconcile would do, before anything is applied (the CLI's `plan`). */
export interface SyncPlan {
  status: "ready" | "noop" | "refused" | "invalid-charter";
  /** `org/team`, once the charter could be read. */
  team?: string;
  actions: TeamAction[];
  /** Why nothing may be applied (refused or invalid charter). */
  reason?: string;
  /** The charter's problems, positioned in its file (none when it is missing). */
  errors: CharterError[];
  /** Team size as read, for the summary. */
  present?: { members: number; pending: number };
  /** What the plan leaves for later and why (a change the chair valve holds, ...). */
  notes?: string[];
  /** Members whose `until` falls in the next 30 days. */
  termEnds?: { login: string; until: string }[];
  /** Members who did not accept the first invitation and its re-sends: the chairs are told. */
  unanswered?: Unanswered[];
}

export interface ReconcileOptions {
  /** Report the outcome as a check run named `charter` on this commit of the charter repository. */
  reportOn?: string;
}

/**
 * The team sync's own check run on a commit that changed the charter. Not `charter`: that is the
 * required gate on pull requests, and a sync's success must never stand in for it on a commit.
 */
const SYNC_CHECK_NAME = "team-sync";

/** Reads the charter and the team and plans the sync; writes nothing. */
export async function planReconcile(rt: Runtime): Promise<SyncPlan> {
  const read = await rt.charter();
  if (!read.ok) {
    const where = `${rt.where.org}/${rt.where.repo}/${rt.where.path}`;
    return "missing" in read
      ? { status: "invalid-charter", actions: [], reason: `there is no charter at \`${where}\``, errors: [] }
      : {
          status: "invalid-charter",
          actions: [],
          reason: "the charter on the default branch is invalid",
          errors: read.errors,
        };
  }
  const { charter } = read;
  const team = `${charter.org}/${charter.team}`;
  let snapshot: Awaited<ReturnType<typeof readTeamSnapshot>>;
  try {
    snapshot = await readTeamSnapshot(rt.octokit, charter.org, charter.team);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    const reason = `the team \`${team}\` does not exist (or the app cannot see it): create it, or fix \`team\` in the charter.`;
    return { status: "refused", team, actions: [], reason, errors: [] };
  }
  let plan = planTeamSync(charter, snapshot);
  // Only a plan that adds someone needs to know who is leaving (a no-op sync reads nothing more).
  if (plan.actions.some((a) => a.kind === "team.add")) {
    const failed = await readFailedInvitations(rt.octokit, charter.org);
    snapshot = { ...snapshot, leaving: await readLeaving(rt), failed };
    plan = planTeamSync(charter, snapshot);
  }
  const present = { members: snapshot.members.length, pending: snapshot.pending.length };
  const upcoming = upcomingTermEnds(charter, rt.now);
  const notes = {
    ...(plan.notes.length > 0 ? { notes: plan.notes } : {}),
    ...(plan.unanswered.length > 0 ? { unanswered: plan.unanswered } : {}),
    ...(upcoming.length > 0 ? { termEnds: upcoming } : {}),
  };
  if (plan.refusal) {
    const actions = [...plan.actions, ...plan.held];
    return { status: "refused", team, actions, reason: plan.refusal, errors: [], present, ...notes };
  }
  const status = plan.actions.length === 0 ? "noop" : "ready";
  return { status, team, actions: plan.actions, errors: [], present, ...notes };
}

/**
 * Makes the team equal to the charter on the default branch. Called on charter pushes, installs,
 * by the CLI (`apply`) and by every sweep. Nothing is applied when the charter is invalid or a safety
 * valve holds; otherwise exactly one write per change, and one person's failure does not stop the rest.
 */
export async function reconcileTeam(rt: Runtime, options: ReconcileOptions = {}): Promise<SyncOutcome> {
  const plan = await planReconcile(rt);
  let outcome: SyncOutcome;
  if (plan.status === "ready") {
    const results = await rt.apply(plan.actions);
    const failures = results.flatMap((r) =>
      r.outcome === "failed" && "login" in r.action
        ? [{ login: r.action.login, error: r.error ?? "failed", ...(r.status ? { status: r.status } : {}) }]
        : [],
    );
    outcome = { status: "applied", plan, failures, summary: "" };
  } else {
    outcome = { status: plan.status, plan, failures: [], summary: "" };
  }
  if (plan.unanswered && !rt.dryRun) {
    const read = await rt.charter();
    if (read.ok) rt.log.info({ told: await tellChairs(rt, read.charter, plan.unanswered) }, "team sync");
  }
  outcome.summary = renderSyncSummary(plan, outcome.failures, rt.dryRun);
  rt.log.info(
    { status: outcome.status, changes: plan.actions.length, failures: outcome.failures.length },
    "team sync",
  );
  if (options.reportOn) await reportSyncCheck(rt, options.reportOn, outcome);
  return outcome;
}

/** Markdown for the check summary and the CLI: the plan, line by line, and what became of it. */
export function renderSyncSummary(plan: SyncPlan, failures: SyncFailure[], dryRun = false): string {
  const team = plan.team ? `\`${plan.team}\`` : "the team";
  const lines = (actions: TeamAction[]) => actions.map((a) => `- ${describeTeamAction(a)}`).join("\n");
  const present = plan.present
    ? ` (${count(plan.present.members, "member")}, ${count(plan.present.pending, "pending invitation")})`
    : "";
  const notes = (plan.notes ?? []).map((n) => `- ${n}`);
  const terms = (plan.termEnds ?? []).map((t) => `- @${t.login} on ${t.until}`);
  const later = [
    ...(notes.length > 0 ? ["", "Left for later:", "", ...notes] : []),
    ...(terms.length > 0
      ? [
          "",
          "Term ends in the next 30 days (the sweep opens a charter pull request on the day):",
          "",
          ...terms,
        ]
      : []),
  ];
  switch (plan.status) {
    case "invalid-charter":
      return [
        `Nothing applied: ${plan.reason}.`,
        "",
        ...plan.errors.map((e) => `- \`${formatError(e)}\``),
      ].join("\n");
    case "refused":
      return [
        `Nothing applied to ${team}: a safety valve held.`,
        "",
        `> ${plan.reason}`,
        ...(plan.actions.length > 0 ? ["", "The refused plan:", "", lines(plan.actions)] : []),
        ...later,
      ].join("\n");
    case "noop":
      return [
        notes.length > 0
          ? `Nothing to change in ${team} now${present}.`
          : `${team} already matches the charter${present}. Nothing to do.`,
        ...later,
      ].join("\n");
    case "ready": {
      const n = plan.actions.length;
      const head = dryRun
        ? `Plan for ${team}${present}: ${count(n, "change")} (dry run, nothing written).`
        : `Applied to ${team}${present}: ${n - failures.length} of ${count(n, "change")}.`;
      const failed = failures.map(
        (f) => `- @${f.login}: ${f.status ? `${f.status} ` : ""}${f.error.replaceAll("\n", " ")}`,
      );
      return [
        head,
        "",
        lines(plan.actions),
        ...(failed.length > 0 ? ["", "Failed (everything else was applied):", "", ...failed] : []),
        ...later,
      ].join("\n");
    }
  }
}

export function describeTeamAction(a: TeamAction): string {
  switch (a.kind) {
    case "team.add":
      return `add @${a.login} as ${a.role}: ${a.why}`;
    case "team.setRole":
      return `make @${a.login} ${a.role}: ${a.why}`;
    case "team.remove":
      return a.why === WITHDRAWN
        ? `withdraw @${a.login}'s invitation: ${a.why}`
        : `remove @${a.login}: ${a.why}`;
  }
}

function checkTitle(outcome: SyncOutcome): { title: string; conclusion: CheckConclusion } {
  const n = outcome.plan.actions.length;
  switch (outcome.status) {
    case "invalid-charter":
      return { title: "Team sync: invalid charter, nothing applied", conclusion: "failure" };
    case "refused":
      return { title: "Team sync refused: nothing applied", conclusion: "failure" };
    case "noop":
      return outcome.plan.notes
        ? { title: "Team sync: nothing to change now, some changes left for later", conclusion: "success" }
        : { title: "Team sync: the team already matches the charter", conclusion: "success" };
    case "applied":
      return outcome.failures.length > 0
        ? {
            title: `Team sync: ${outcome.failures.length} of ${n} changes failed`,
            conclusion: "failure",
          }
        : { title: `Team sync: ${count(n, "change")} applied`, conclusion: "success" };
  }
}

/**
 * The `team-sync` check on the commit that changed the charter. A repeated delivery finds nothing left
 * to do; it then leaves the first report in place instead of covering it with "nothing to do".
 */
export async function reportSyncCheck(rt: Runtime, headSha: string, outcome: SyncOutcome): Promise<void> {
  const repo = charterRepo(rt.where);
  if (outcome.status === "noop" && (await alreadyReported(rt, headSha))) return;
  const { title, conclusion } = checkTitle(outcome);
  const annotations: CheckAnnotation[] = outcome.plan.errors.map((e) => ({
    path: rt.where.path,
    start_line: e.line,
    end_line: e.line,
    annotation_level: "failure",
    message: e.message,
  }));
  await rt.apply([
    {
      kind: "check.create",
      repo,
      name: SYNC_CHECK_NAME,
      headSha,
      conclusion,
      output: {
        title,
        summary: outcome.summary,
        ...(annotations.length > 0 ? { annotations } : {}),
      },
      why: "report the team sync on the commit that changed the charter",
    },
  ]);
}

async function alreadyReported(rt: Runtime, headSha: string): Promise<boolean> {
  const repo = charterRepo(rt.where);
  return (await ownCheckRuns(rt, repo, headSha, SYNC_CHECK_NAME)).length > 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
