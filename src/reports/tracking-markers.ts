import type { Charter } from "../charter/schema.js";
import { type Identity, isOwn } from "../core/identity.js";
import { marker, markerValue } from "../core/markers.js";

/**
 * The conventions every feature shares about tracking issues (one per advisory, in the private
 * tracker repo). State lives in GitHub, in content only the app writes:
 *
 * - the issue body carries `ghsa:<GHSA-ID>` and `advisory:<owner>/<repo>` markers;
 * - the owner is the issue's single assignee;
 * - milestones are app comments with markers, and their `created_at` is when they happened:
 *   `ack` (first acknowledgement: /ack, a claim, or the advisory leaving triage),
 *   `owner:<login>` (ownership recorded), `reminder:<stage>` (one per stale stage, ever).
 *   Ownership comments (claim, handoff) carry `ack` too, so `ack` may appear more than once:
 *   the earliest app comment with it is the acknowledgement;
 * - the body also carries `triager:<login>`, the triager the rotation assigned at creation: the
 *   next report goes to the triager after the one in the most recently created tracking issue;
 * - `no-owner` marks the one comment saying an acknowledged report has no owner;
 * - `mirror:closed` / `mirror:reopened` mark the app's own closes and reopens, so the poll reopens
 *   only issues it closed itself (never one a person closed while the advisory is still open).
 */

export const ghsaMarker = (ghsaId: string) => marker(`ghsa:${ghsaId}`);
export const advisoryRepoMarker = (owner: string, repo: string) => marker(`advisory:${owner}/${repo}`);
export const ACK_KEY = "ack";
export const ownerKey = (login: string) => `owner:${login.toLowerCase()}`;
export const reminderKey = (stage: string) => `reminder:${stage}`;
export const triagerKey = (login: string) => `triager:${login.toLowerCase()}`;
export const NO_OWNER_KEY = "no-owner";
/** On the app's comment when it closes a tracking issue because the advisory left triage/draft. */
export const MIRROR_CLOSED_KEY = "mirror:closed";
export const MIRROR_REOPENED_KEY = "mirror:reopened";

interface IssueLike {
  body?: string | null;
  user?: { login?: string } | null;
  pull_request?: unknown;
}

/** The GHSA id of a tracking issue the app created, or undefined for any other issue. */
export function ghsaOf(issue: IssueLike, self: Identity): string | undefined {
  if (issue.pull_request || !isOwn(issue, self)) return undefined;
  return markerValue(issue.body, "ghsa:");
}

/** The repository (`owner/repo`) of the advisory a tracking issue mirrors. */
export function advisoryRepoOf(
  issue: IssueLike,
  self: Identity,
): { owner: string; repo: string } | undefined {
  if (!isOwn(issue, self)) return undefined;
  const value = markerValue(issue.body, "advisory:");
  const [owner, repo] = value?.split("/") ?? [];
  return owner && repo ? { owner, repo } : undefined;
}

/** The triager the rotation assigned when the app created this tracking issue. */
export function triagerOf(issue: IssueLike, self: Identity): string | undefined {
  if (!isOwn(issue, self)) return undefined;
  return markerValue(issue.body, "triager:");
}

export function isTrackerRepo(charter: Charter, repo: { owner: string; repo: string }): boolean {
  return `${repo.owner}/${repo.repo}`.toLowerCase() === charter.tracker.toLowerCase();
}

export function trackerRef(charter: Charter): { owner: string; repo: string } {
  const [owner, repo] = charter.tracker.split("/") as [string, string];
  return { owner, repo };
}
