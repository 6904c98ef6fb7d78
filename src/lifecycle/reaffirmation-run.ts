import type { LapsePlan } from "../charter/members-edit.js";
import type { Charter } from "../charter/schema.js";
import { charterRepo } from "../charter/source.js";
import type { Runtime } from "../context.js";
import { isOwn } from "../core/identity.js";
import { hasMarker } from "../core/markers.js";
import { issueComments } from "../github/comments.js";
import { issuesUpdatedSince } from "../github/issues.js";
import { ownPulls } from "../github/pulls.js";
import { openRemovalPull } from "../membership/charter-pull.js";
import { checkTrackerPrivate } from "../reports/read.js";
import { trackerRef } from "../reports/tracking-markers.js";
import {
  type Cycle,
  charterPullOf,
  cycleOf,
  endingActions,
  endingPlan,
  membersToReaffirm,
  openingActions,
  openKey,
  reaffirmationStep,
} from "./reaffirmation.js";
import { participationCounts, readTimelines } from "./timelines.js";

interface IssueRead {
  number: number;
  state?: string;
  body?: string | null;
  user: { login: string } | null;
  pull_request?: unknown;
}

/**
 * Advances this year's reaffirmation by at most one step (reaffirmation.ts decides which): reads what
 * the step needs, applies its actions. Returns what it did, one line each.
 */
export async function advanceReaffirmation(rt: Runtime, charter: Charter): Promise<string[]> {
  const cycle = cycleOf(charter, rt.now);
  // The issue holds figures about embargoed work: it lives in the tracker, and only while it is private.
  const privacy = await checkTrackerPrivate(rt, charter);
  if (!privacy.ok) return [`reaffirmation ${cycle.year}: ${privacy.problem}`];
  const repo = trackerRef(charter);
  const self = await rt.self();
  const issues = (await issuesUpdatedSince(rt, repo, cycle.start)) as IssueRead[];
  const issue = issues.find(
    (i) => !i.pull_request && isOwn(i, self) && hasMarker(i.body, openKey(cycle.year)),
  );

  const step = reaffirmationStep(charter, issue, rt.now);
  if (step.kind === "wait") return [];
  if (step.kind === "open") {
    const counts = participationCounts(await readTimelines(rt, charter, step.from), step.from, cycle.start);
    rt.disclosure.learnFigures(membersToReaffirm(charter, cycle).map((m) => m.login));
    const [result] = await rt.apply(openingActions(charter, cycle, counts, repo));
    return [
      result?.outcome === "failed"
        ? `reaffirmation ${cycle.year}: could not open the issue (${result.error})`
        : `reaffirmation ${cycle.year}: opened the issue`,
    ];
  }

  const replies = (await issueComments(rt, repo, step.issue.number, { own: true })).map((c) => c.body);
  const plan = endingPlan(charter, cycle, replies, rt.now);
  if (!plan) return [];
  let pullRef: string | undefined;
  if (plan.removed.length > 0 || plan.confirmed.length > 0) {
    const pull = await openPull(rt, cycle, plan);
    if (typeof pull === "string") return [`reaffirmation ${cycle.year}: ${pull}`];
    pullRef = `${rt.where.org}/${rt.where.repo}#${pull}`;
  }
  await rt.apply(endingActions(cycle, repo, step.issue, plan, pullRef));
  return [
    `reaffirmation ${cycle.year}: ended (${plan.removed.length} removed, ${plan.confirmed.length} reaffirmed)`,
  ];
}

/** Opens (or finds, after an interrupted run) the charter PR; its number, or why it could not. */
async function openPull(rt: Runtime, cycle: Cycle, plan: LapsePlan): Promise<number | string> {
  const repo = charterRepo(rt.where);
  const pull = charterPullOf(cycle, plan);
  // Only the app's own: a pull request someone else opened from that branch is not the reaffirmation's.
  const [existing] = await ownPulls(rt, repo, { state: "all", head: pull.branch });
  if (existing) return existing.number;

  const opened = await openRemovalPull(rt, {
    ...pull,
    removed: plan.removed,
    confirmed: plan.confirmed,
    why: `reaffirmation ${cycle.year} ended`,
  });
  return "problem" in opened ? opened.problem : opened.number;
}
