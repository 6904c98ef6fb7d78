import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { type CloseReason, closeRequestKey, signoffReviewers } from "./pending.js";

/** An onboarding member closed a report: what the app saw. */
export interface OnboardingClose {
  repo: RepoRef;
  number: number;
  closer: string;
  reason: CloseReason;
  /** The report's owner (its single assignee), if any. */
  owner?: string;
}

const REASON_TEXT: Record<CloseReason, string> = {
  completed: "completed",
  not_planned: "not planned",
  duplicate: "duplicate",
};

/**
 * Reopens the report until a full member signs off, so that no valid report is dismissed by someone
 * still onboarding. The original reason travels in the comment's marker; `/approve` closes with it.
 */
export function planCloseSignoff(charter: Charter, close: OnboardingClose, now: Date): Action[] {
  const { repo, number, closer, reason } = close;
  const reviewers = signoffReviewers(charter, close.owner, closer, now);
  const body = [
    `@${closer} closed this report as **${REASON_TEXT[reason]}**, but is still onboarding, so a full member signs off closes.`,
    "",
    `${reviewers}: if you agree, comment \`/approve\` and the app closes it with the same reason. Until then it stays open, labelled \`${charter.labels.needs_signoff}\`.`,
    "",
    marker(closeRequestKey(reason, closer)),
  ].join("\n");
  const why = `@${closer} is onboarding: closing a report needs a full member's sign-off`;
  return [
    { kind: "issue.update", repo, number, state: "open", stateReason: "reopened", why },
    { kind: "issue.addLabels", repo, number, labels: [charter.labels.needs_signoff], why },
    { kind: "issue.comment", repo, number, body, why },
  ];
}

export function describeReason(reason: CloseReason): string {
  return REASON_TEXT[reason];
}
