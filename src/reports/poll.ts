import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../context.js";
import type { Action } from "../core/actions.js";
import { type ActionResult, statusOf } from "../core/executor.js";
import { markerValue } from "../core/markers.js";
import { advisoryKey } from "../core/serialize.js";
import { orgRepositoryAdvisories, repositoryAdvisory } from "../github/advisories.js";
import { ownMarkers } from "../github/comments.js";
import { type Advisory, isOpenState, OPEN_STATES, type Report, repoOfAdvisory } from "./advisory.js";
import { planCollaboration, planIntake, planLabels } from "./intake.js";
import { planFollowAdvisory, planMirror } from "./mirror.js";
import { readTracker, type TrackingIssue } from "./read.js";

export interface PollOutcome {
  /** Advisories in triage or draft seen. */
  open: number;
  /** Tracking issues created, closed or reopened, collaborators fixed. */
  changed: number;
  /** Problems to report without report details (e.g. the tracker is public). */
  problems: string[];
}

const CHANGES = new Set<Action["kind"]>(["issue.create", "issue.update", "advisory.setCollaborators"]);

/**
 * Polls the org's triage/draft advisories (GitHub sends no webhook for most changes) and brings the
 * tracking issues and advisory collaborators in line. Used by the sweep and `security-team sweep`.
 *
 * Reads: the two advisory lists, the tracker (visibility, labels, all tracking issues: once), the
 * advisory of each open tracking issue that left the lists, and the app's comments only where a
 * milestone may be due. Everything it writes is derived from that snapshot, so a repeat changes nothing;
 * each tracking issue gets at most one PATCH (its status section with any close or reopen).
 */
export async function pollAdvisories(rt: Runtime, charter: Charter): Promise<PollOutcome> {
  let reports: Report[];
  try {
    reports = await listOpenReports(rt);
  } catch (error) {
    rt.log.error({ status: statusOf(error) }, "cannot list the org's security advisories");
    return {
      open: 0,
      changed: 0,
      problems: [
        `cannot list the org's security advisories (HTTP ${statusOf(error) ?? "error"}): nothing changed`,
      ],
    };
  }
  // A `reported` webhook for one of these advisories waits (or is waited for): one tracking issue each.
  const keys = reports.map((r) => advisoryKey(rt.org, r.advisory.ghsa_id));
  return rt.locks.runAll(keys, () => reconcile(rt, charter, reports));
}

async function reconcile(rt: Runtime, charter: Charter, reports: Report[]): Promise<PollOutcome> {
  const problems: string[] = [];
  const actions: Action[] = [];
  const tracker = await readTracker(rt, charter);
  if (!tracker.ok) {
    problems.push(tracker.problem);
    // Collaborators carry no report text: the team still gets access while the tracker is fixed.
    actions.push(...planCollaboration(charter, reports));
  } else {
    actions.push(...planLabels(charter, tracker.repo, tracker.labels));
    actions.push(...planIntake(charter, tracker.repo, reports, tracker.issues));
    const byGhsa = new Map(reports.map((r) => [r.advisory.ghsa_id.toUpperCase(), r.advisory]));
    for (const issue of tracker.issues) {
      const advisory = byGhsa.get(issue.ghsa.toUpperCase()) ?? (await leftAdvisory(rt, issue, problems));
      if (!advisory) continue;
      const milestones = await milestonesIfDue(rt, tracker.repo, issue, advisory, problems);
      const planned = planFollowAdvisory(charter, tracker.repo, issue, advisory, milestones);
      actions.push(...planned.actions);
      problems.push(...planned.problems);
    }
  }
  const results = await rt.apply(actions);
  if (tracker.ok)
    results.push(...(await rt.apply(milestonesOfNewIssues(charter, tracker.repo, reports, results))));
  const failed = results.filter((r) => r.outcome === "failed").length;
  if (failed > 0)
    problems.push(`${failed} of ${results.length} writes failed (see the log); the next sweep retries`);
  return {
    open: reports.length,
    changed: results.filter((r) => r.outcome !== "failed" && CHANGES.has(r.action.kind)).length,
    problems,
  };
}

/**
 * A tracking issue opened in this sweep for an advisory already out of triage (a draft created by
 * hand) gets its milestones now (`left triage: counts as acknowledged`, no owner), as a later
 * sweep would: otherwise the next sweep writes them and two sweeps in a row are not a no-op.
 */
function milestonesOfNewIssues(
  charter: Charter,
  tracker: { owner: string; repo: string },
  reports: Report[],
  results: ActionResult[],
): Action[] {
  return results.flatMap((result) => {
    const { action } = result;
    const number = (result.data as { number?: unknown } | undefined)?.number;
    if (action.kind !== "issue.create" || result.outcome !== "applied" || typeof number !== "number")
      return [];
    const ghsa = markerValue(action.body, "ghsa:")?.toUpperCase();
    const report = reports.find((r) => r.advisory.ghsa_id.toUpperCase() === ghsa);
    if (!report || report.advisory.state === "triage") return [];
    const issue: TrackingIssue = {
      number,
      state: "open",
      ghsa: report.advisory.ghsa_id,
      advisoryRepo: report.repo,
      triager: undefined,
      assignees: action.assignees,
      labels: action.labels,
      comments: 0,
      createdAt: "",
    };
    return planMirror(charter, tracker, issue, report.advisory, []).actions;
  });
}

async function listOpenReports(rt: Runtime): Promise<Report[]> {
  const reports: Report[] = [];
  for (const state of OPEN_STATES) {
    const advisories = await orgRepositoryAdvisories(rt, rt.org, state);
    for (const advisory of advisories as unknown as Advisory[]) {
      reports.push({ advisory, repo: repoOfAdvisory(advisory) });
    }
  }
  return reports;
}

/** The advisory of an open tracking issue that is no longer in triage or draft (closed issues: nothing to do). */
async function leftAdvisory(
  rt: Runtime,
  issue: TrackingIssue,
  problems: string[],
): Promise<Advisory | undefined> {
  if (issue.state === "closed") return undefined;
  if (!issue.advisoryRepo) {
    problems.push(`tracking issue #${issue.number} does not name its advisory's repository`);
    return undefined;
  }
  try {
    return (await repositoryAdvisory(rt, issue.advisoryRepo, issue.ghsa)) as unknown as Advisory;
  } catch (error) {
    problems.push(
      `cannot read the advisory of tracking issue #${issue.number} (HTTP ${statusOf(error) ?? "error"})`,
    );
    return undefined;
  }
}

/**
 * The app's milestones on an issue when one may be due (the advisory left triage, the report has no
 * owner, or a closed issue's advisory is open); undefined when not needed or unreadable.
 */
async function milestonesIfDue(
  rt: Runtime,
  tracker: { owner: string; repo: string },
  issue: TrackingIssue,
  advisory: Advisory,
  problems: string[],
): Promise<string[] | undefined> {
  const reopening = issue.state === "closed" && isOpenState(advisory.state);
  const due = advisory.state !== "triage" || issue.assignees.length === 0 || reopening;
  if (!due) return undefined;
  if (issue.comments === 0) return [];
  try {
    return await ownMarkers(rt, tracker, issue.number);
  } catch (error) {
    problems.push(
      `cannot read the comments of tracking issue #${issue.number} (HTTP ${statusOf(error) ?? "error"})`,
    );
    return undefined;
  }
}
