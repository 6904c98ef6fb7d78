import { mention, triagers } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { type Action, oneUpdatePerIssue, type RepoRef } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { type Advisory, isOpenState } from "./advisory.js";
import { type AdvisoryNow, planStatusRefresh } from "./advisory-work.js";
import type { TrackingIssue } from "./read.js";
import { ACK_KEY, MIRROR_CLOSED_KEY, MIRROR_REOPENED_KEY, NO_OWNER_KEY } from "./tracking-markers.js";

/** True when the app itself closed the issue last (because its advisory left triage/draft). */
function closedByMirror(milestones: string[]): boolean {
  return milestones.lastIndexOf(MIRROR_CLOSED_KEY) > milestones.lastIndexOf(MIRROR_REOPENED_KEY);
}

/**
 * Keeps one tracking issue in line with its advisory's state. `milestones` are the markers in the
 * app's comments on the issue, oldest first, or undefined when they were not read (then nothing that
 * depends on them is written, rather than risk a second one). Returns the actions and the problems
 * to report, which name only the issue.
 */
export function planMirror(
  charter: Charter,
  tracker: RepoRef,
  issue: TrackingIssue,
  advisory: Pick<Advisory, "state" | "html_url">,
  milestones: string[] | undefined,
): { actions: Action[]; problems: string[] } {
  const actions: Action[] = [];
  const problems: string[] = [];
  const at = { repo: tracker, number: issue.number };
  const ref = `${tracker.owner}/${tracker.repo}#${issue.number}`;
  const open = isOpenState(advisory.state);

  if (open && issue.state === "closed") {
    if (!milestones) return { actions, problems };
    // Only undo the app's own close: a person (or sign-off) may close a report whose advisory is still open.
    if (!closedByMirror(milestones)) {
      problems.push(`${ref} is closed but its advisory is still in ${advisory.state}`);
      return { actions, problems };
    }
    actions.push(
      {
        kind: "issue.update",
        ...at,
        state: "open",
        stateReason: "reopened",
        why: "the advisory is open again",
      },
      {
        kind: "issue.comment",
        ...at,
        body: `The advisory is back in \`${advisory.state}\`, so this tracking issue is open again.\n\n${marker(MIRROR_REOPENED_KEY)}`,
        why: "say why the issue was reopened",
      },
    );
  }
  if (!open && issue.state === "open") {
    const published = advisory.state === "published";
    actions.push(
      {
        kind: "issue.update",
        ...at,
        state: "closed",
        stateReason: published ? "completed" : "not_planned",
        why: `the advisory is ${advisory.state}`,
      },
      {
        kind: "issue.comment",
        ...at,
        body: `${
          published
            ? `The advisory was published: ${advisory.html_url}. Closing this tracking issue as completed.`
            : `The advisory is ${advisory.state} without being published. Closing this tracking issue as not planned.`
        }\n\n${marker(MIRROR_CLOSED_KEY)}`,
        why: "say why the issue was closed",
      },
    );
  }
  if (!milestones) return { actions, problems };

  const acked = milestones.includes(ACK_KEY) || advisory.state !== "triage";
  if (!milestones.includes(ACK_KEY) && advisory.state !== "triage") {
    actions.push({
      kind: "issue.comment",
      ...at,
      body: `The advisory left triage (it is \`${advisory.state}\` now): this report counts as acknowledged.\n\n${marker(ACK_KEY)}`,
      why: "acknowledged: the advisory left triage",
    });
  }
  if (open && acked && issue.assignees.length === 0) {
    problems.push(`${ref} is acknowledged but has no owner`);
    if (!milestones.includes(NO_OWNER_KEY)) {
      actions.push({
        kind: "issue.comment",
        ...at,
        body: `${mention(triagers(charter).map((m) => m.login))}: this report is acknowledged but has no owner. Add the \`${charter.labels.claim}\` label or comment \`/claim\` to take it.\n\n${marker(NO_OWNER_KEY)}`,
        why: "an acknowledged report has no owner",
      });
    }
  }
  return { actions, problems };
}

/**
 * A tracking issue following its advisory as it is now, whoever learnt of the change (the poll or the
 * `published` webhook): its state (`planMirror`) and its status section, in one PATCH. An issue opened
 * before the control room gets the section here once; after that, only changes are written.
 */
export function planFollowAdvisory(
  charter: Charter,
  tracker: RepoRef,
  issue: TrackingIssue,
  advisory: Advisory,
  milestones: string[] | undefined,
): { actions: Action[]; problems: string[] } {
  const planned = planMirror(charter, tracker, issue, advisory, milestones);
  const refresh =
    issue.body === undefined
      ? []
      : planStatusRefresh(tracker, issue.number, issue.body, advisory as AdvisoryNow);
  return { actions: oneUpdatePerIssue([...refresh, ...planned.actions]), problems: planned.problems };
}
