import { normaliseAffiliation, sameAffiliation } from "../charter/affiliation.js";
import { findMember, isMember, sameLogin } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { markersIn } from "../core/markers.js";

/**
 * Need to know (Mautic's disclosure policy): an outside expert sees an embargoed report only when one
 * member asks (`/invite`) and a member of a different organisation confirms (`/confirm`). The state of
 * each invitation is the sequence of markers in the app's own replies on the tracking issue:
 *
 * - `invite:<login>:<requester>`            pending
 * - `invited:<login>:<requester>:<confirmer>` effective (collaborating user on the advisory)
 * - `uninvited:<login>`                      withdrawn
 *
 * The last marker for a login wins, so invite → confirm → uninvite → invite again works.
 */

export const inviteKey = (login: string, requester: string) =>
  `invite:${login.toLowerCase()}:${requester.toLowerCase()}`;
export const invitedKey = (login: string, requester: string, confirmer: string) =>
  `invited:${login.toLowerCase()}:${requester.toLowerCase()}:${confirmer.toLowerCase()}`;
export const uninvitedKey = (login: string) => `uninvited:${login.toLowerCase()}`;

export type Invitation =
  | { state: "pending"; requester: string }
  | { state: "effective"; requester: string; confirmer: string }
  | { state: "withdrawn" };

/** The invitations recorded in the app's replies, oldest reply first. Keys are lower-case logins. */
export function invitations(appReplies: (string | null | undefined)[]): Map<string, Invitation> {
  const state = new Map<string, Invitation>();
  for (const body of appReplies) {
    for (const key of markersIn(body)) {
      const [kind, login, requester, confirmer] = key.split(":");
      if (!login) continue;
      if (kind === "invite" && requester) state.set(login, { state: "pending", requester });
      if (kind === "invited" && requester && confirmer)
        state.set(login, { state: "effective", requester, confirmer });
      if (kind === "uninvited") state.set(login, { state: "withdrawn" });
    }
  }
  return state;
}

export type Confirmation = { ok: true } | { ok: false; reason: string };

/**
 * May `confirmer` make `requester`'s invitation effective? Both must be members (a requester removed
 * since no longer vouches), they must be different people, and both must have a known affiliation that
 * differs: an affiliation missing from the charter cannot show the two are independent, so it refuses.
 */
export function canConfirm(charter: Charter, requester: string, confirmer: string): Confirmation {
  if (sameLogin(requester, confirmer)) {
    return { ok: false, reason: "you asked for this invitation; another member must confirm it" };
  }
  const asked = findMember(charter, requester);
  if (!asked) return { ok: false, reason: `@${requester}, who asked, is no longer a member` };
  const confirming = findMember(charter, confirmer);
  if (!confirming) return { ok: false, reason: `@${confirmer} is not a member` };
  // A placeholder ("—", "?") names no organisation: it counts as missing, never as "another one".
  const a = normaliseAffiliation(asked.affiliation) ? asked.affiliation?.trim() : undefined;
  const b = normaliseAffiliation(confirming.affiliation) ? confirming.affiliation?.trim() : undefined;
  if (!a || !b) {
    const missing = [!a ? asked.login : undefined, !b ? confirming.login : undefined].filter(Boolean);
    return {
      ok: false,
      reason: `the charter gives no affiliation for ${missing.map((l) => `@${l}`).join(" and ")}, so it cannot show the confirmation comes from another organisation`,
    };
  }
  if (sameAffiliation(a, b)) {
    return {
      ok: false,
      reason: `you share @${asked.login}'s affiliation (${a}); a member of another organisation must confirm`,
    };
  }
  return { ok: true };
}

/** Team members need no invitation (they see every advisory through the team). */
export function isOutsider(charter: Charter, login: string): boolean {
  return !isMember(charter, login);
}
