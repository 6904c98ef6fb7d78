import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import { marker } from "../core/markers.js";
import {
  type CloseReason,
  closeRequestKey,
  closeSettledKey,
  type Pending,
  signoffReviewers,
} from "./pending.js";

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

/** A full member closed a report: what the app saw. */
export interface FullMemberClose {
  repo: RepoRef;
  number: number;
  closer: string;
  pending: Pending;
}

/**
 * A full member's close decides the report, so an onboarding member's close still awaiting sign-off
 * is moot: drop `labels.needs_signoff` unless a `/draft` still awaits sign-off, then record it in a
 * comment (its marker answers the request, so this happens once). Undefined when nothing is pending.
 */
export function planCloseSettled(
  charter: Charter,
  close: FullMemberClose,
): { changes: Action[]; record: Action } | undefined {
  const { repo, number, closer, pending } = close;
  if (!pending.close) return undefined;
  const { requestId, closer: onboarding } = pending.close;
  const why = `@${closer} is a full member: @${onboarding}'s pending close needs no sign-off`;
  const body = `Closed by @${closer}, a full member: the pending close by @${onboarding} needs no sign-off any more.\n\n${marker(closeSettledKey(requestId))}`;
  return {
    changes:
      pending.drafts.length === 0
        ? [{ kind: "issue.removeLabel", repo, number, label: charter.labels.needs_signoff, why }]
        : [],
    record: { kind: "issue.comment", repo, number, body, why },
  };
}

export function describeReason(reason: CloseReason): string {
  return REASON_TEXT[reason];
}
