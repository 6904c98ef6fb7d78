import { mention, triagers } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import { marker } from "../core/markers.js";
import type { Advisory } from "./advisory.js";
import type { TrackingIssue } from "./tracker.js";
import { ACK_KEY, NO_OWNER_KEY } from "./tracking.js";

/**
 * Keeps one tracking issue in line with its advisory's state. `milestones` are the markers in the
 * app's comments on the issue, or undefined when they could not be read (then no milestone is
 * written, rather than risk a second one). Returns the actions and, when the report breaks the
 * owner invariant, a problem naming only the issue.
 */
export function planMirror(
  charter: Charter,
  tracker: RepoRef,
  issue: TrackingIssue,
  advisory: Pick<Advisory, "state" | "html_url">,
  milestones: Set<string> | undefined,
): { actions: Action[]; problems: string[] } {
  const actions: Action[] = [];
  const problems: string[] = [];
  const at = { repo: tracker, number: issue.number };
  const ref = `${tracker.owner}/${tracker.repo}#${issue.number}`;
  const open = advisory.state === "triage" || advisory.state === "draft";

  if (open && issue.state === "closed") {
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
        body: `The advisory is back in \`${advisory.state}\`, so this tracking issue is open again.`,
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
        body: published
          ? `The advisory was published: ${advisory.html_url}. Closing this tracking issue as completed.`
          : `The advisory is ${advisory.state} without being published. Closing this tracking issue as not planned.`,
        why: "say why the issue was closed",
      },
    );
  }
  if (!milestones) return { actions, problems };

  const acked = milestones.has(ACK_KEY);
  if (!acked && advisory.state !== "triage") {
    actions.push({
      kind: "issue.comment",
      ...at,
      body: `The advisory left triage (it is \`${advisory.state}\` now): this report counts as acknowledged.\n\n${marker(ACK_KEY)}`,
      why: "acknowledged: the advisory left triage",
    });
  }
  const staysOpen = open;
  if (staysOpen && (acked || advisory.state !== "triage") && issue.assignees.length === 0) {
    problems.push(`${ref} is acknowledged but has no owner`);
    if (!milestones.has(NO_OWNER_KEY)) {
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
