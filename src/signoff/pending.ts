import { chairs, isOnboarding, mention, sameLogin } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { type Identity, isOwn } from "../core/identity.js";
import { markersIn, markerValue } from "../core/markers.js";

/**
 * What awaits sign-off on a tracking issue, read from the app's own comments (their hidden markers):
 *
 * - `signoff-close:<reason>:<closer>` asks to sign off a close; `signoff-approved:<requestId>` answers it,
 *   and so does `signoff-settled:<requestId>` (a full member closed the report themselves meanwhile).
 *   Only the latest close request counts: a second close by the onboarding member supersedes the first.
 * - `draft:<commentId>` says the `/draft` comment awaits sign-off; `draft-approved:<commentId>` answers it.
 */

export type CloseReason = "completed" | "not_planned" | "duplicate";

export interface CommentLike {
  id: number;
  body?: string | null;
  user?: { login?: string } | null;
  created_at: string;
}

export interface PendingClose {
  requestId: number;
  reason: CloseReason;
  closer: string;
}

export interface Pending {
  close?: PendingClose;
  /** `/draft` comment ids awaiting sign-off, oldest first. */
  drafts: number[];
}

export const closeRequestKey = (reason: CloseReason, closer: string) => `signoff-close:${reason}:${closer}`;
export const closeApprovedKey = (requestId: number) => `signoff-approved:${requestId}`;
export const closeSettledKey = (requestId: number) => `signoff-settled:${requestId}`;
export const draftKey = (commentId: number) => `draft:${commentId}`;
export const draftApprovedKey = (commentId: number) => `draft-approved:${commentId}`;

export function toCloseReason(stateReason: string | null | undefined): CloseReason {
  return stateReason === "not_planned" || stateReason === "duplicate" ? stateReason : "completed";
}

export function pendingSignoffs(comments: CommentLike[], self: Identity): Pending {
  const own = comments.filter((c) => isOwn(c, self));
  const keys = new Set(own.flatMap((c) => markersIn(c.body)));
  const requests = own.filter((c) => markerValue(c.body, "signoff-close:") !== undefined);
  const latest = requests.at(-1);
  const answered = latest && (keys.has(closeApprovedKey(latest.id)) || keys.has(closeSettledKey(latest.id)));
  const close = latest && !answered ? parseCloseRequest(latest) : undefined;
  const drafts = own
    .flatMap((c) => markersIn(c.body).filter((k) => k.startsWith("draft:")))
    .map((k) => Number(k.slice("draft:".length)))
    .filter((id) => Number.isSafeInteger(id) && !keys.has(draftApprovedKey(id)));
  return { ...(close ? { close } : {}), drafts: [...new Set(drafts)] };
}

function parseCloseRequest(comment: CommentLike): PendingClose | undefined {
  const [reason, closer] = (markerValue(comment.body, "signoff-close:") ?? "").split(":");
  if (!closer || (reason !== "completed" && reason !== "not_planned" && reason !== "duplicate"))
    return undefined;
  return { requestId: comment.id, reason, closer };
}

/**
 * Who is asked to sign off: the report's owner when they are a full member other than the person
 * asking, otherwise the chairs (an onboarding owner cannot sign off their own work).
 */
export function signoffReviewers(charter: Charter, owner: string | undefined, author: string, now: Date) {
  const ownerMember = owner ? charter.members.find((m) => sameLogin(m.login, owner)) : undefined;
  if (ownerMember && !sameLogin(ownerMember.login, author) && !isOnboarding(charter, ownerMember, now))
    return mention([ownerMember.login]);
  return mention(chairs(charter).map((m) => m.login));
}

/**
 * Advisory steps that wait for full members (see src/reports/advisory-commands.ts): an onboarding
 * member's `/accept`, `/reject` or `/publish`, and any `/publish` under the two-person rule.
 *
 * - `signoff-step:<step>:<requester>:<commentId>` on the app's reply records the request (`commentId`
 *   is the command's comment, which `/reject` keeps its reason in);
 * - `step-approved:<commentId>:<login>` records one full member's `/approve`;
 * - `step-done:<commentId>` says the step was carried out.
 */
export const ADVISORY_STEPS = ["accept", "reject", "publish"] as const;
export type AdvisoryStep = (typeof ADVISORY_STEPS)[number];

export interface PendingStep {
  step: AdvisoryStep;
  requester: string;
  commentId: number;
  /** Full members who approved it so far. */
  approvers: string[];
}

export const stepRequestKey = (step: AdvisoryStep, requester: string, commentId: number) =>
  `signoff-step:${step}:${requester}:${commentId}`;
export const stepApprovedKey = (commentId: number, login: string) => `step-approved:${commentId}:${login}`;
export const stepDoneKey = (commentId: number) => `step-done:${commentId}`;

/** Advisory steps still waiting, oldest first. */
export function pendingSteps(comments: CommentLike[], self: Identity): PendingStep[] {
  const keys = comments.filter((c) => isOwn(c, self)).flatMap((c) => markersIn(c.body));
  const steps: PendingStep[] = [];
  for (const key of keys) {
    const [kind, step, requester, id] = key.split(":");
    const commentId = Number(id);
    if (kind !== "signoff-step" || !requester || !Number.isSafeInteger(commentId)) continue;
    if (!(ADVISORY_STEPS as readonly string[]).includes(step ?? "")) continue;
    if (keys.includes(stepDoneKey(commentId)) || steps.some((s) => s.commentId === commentId)) continue;
    const approvers = keys
      .filter((k) => k.startsWith(`step-approved:${commentId}:`))
      .map((k) => k.slice(`step-approved:${commentId}:`.length));
    steps.push({ step: step as AdvisoryStep, requester, commentId, approvers: [...new Set(approvers)] });
  }
  return steps;
}
