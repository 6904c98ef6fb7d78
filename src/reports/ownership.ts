import { mention, sameLogin } from "../charter/facts.js";
import type { Action, RepoRef } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { addUser, type Report } from "./advisory.js";
import type { TrackingIssue } from "./read.js";
import { ACK_KEY, ownerKey } from "./tracking-markers.js";

export interface OwnershipPlan {
  actions: Action[];
  /** The comment that records the hand-off (milestones `owner:<login>` and `ack`). */
  comment: string;
}

/**
 * `owner` becomes the single owner: the only assignee and a collaborating user on the advisory
 * (others kept). `labels`, when given, replaces the issue's labels in the same request (the claim
 * label's removal rides along). `by` is who made the change, when it is not the new owner.
 */
export function planOwnership(options: {
  tracker: RepoRef;
  issue: TrackingIssue;
  report: Report;
  owner: string;
  by: string;
  labels?: string[];
}): OwnershipPlan {
  const { tracker, issue, report, owner, by, labels } = options;
  const previous = issue.assignees;
  const unchanged = previous.length === 1 && sameLogin(previous[0] as string, owner);
  const actions: Action[] = [];
  if (!unchanged || labels) {
    actions.push({
      kind: "issue.setAssignees",
      repo: tracker,
      number: issue.number,
      assignees: [owner],
      previous,
      ...(labels ? { labels } : {}),
      why: `@${owner} owns the report`,
    });
  }
  const collaborator = addUser(report, owner, `the owner @${owner} collaborates on ${issue.ghsa}`);
  if (collaborator) actions.push(collaborator);
  const others = previous.filter((p) => !sameLogin(p, owner));
  const was = others.length > 0 ? ` (was ${mention(others)})` : unchanged ? " (unchanged)" : "";
  const handedOff = sameLogin(by, owner) ? "" : `, handed off by @${by}`;
  return {
    actions,
    comment: `@${owner} owns this report${was}${handedOff}.\n\n${marker(ownerKey(owner))}\n${marker(ACK_KEY)}`,
  };
}

/** Who may give a report away (`/release`, `/handoff`): its owner, anyone when it has none, or a chair. */
export function mayReassign(issue: TrackingIssue, sender: string, isChair: boolean): boolean {
  return isChair || issue.assignees.length === 0 || issue.assignees.some((a) => sameLogin(a, sender));
}

/** A claim label from someone who may not own reports: the label comes off, with the reason. */
export function planClaimRefusal(tracker: RepoRef, number: number, label: string, sender: string): Action[] {
  return [
    { kind: "issue.removeLabel", repo: tracker, number, label, why: "claim by a non-member" },
    {
      kind: "issue.comment",
      repo: tracker,
      number,
      body: `@${sender}: only members of the security team listed in the charter can own a report, so the \`${label}\` label was removed. Nothing else changed.`,
      why: `refuse a claim by @${sender}`,
    },
  ];
}
