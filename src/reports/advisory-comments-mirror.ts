import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../context.js";
import type { Action, RepoRef } from "../core/actions.js";
import type { AdvisoryComment } from "../core/advisory-comments.js";
import type { ActionResult } from "../core/executor.js";
import { type Identity, isOwn } from "../core/identity.js";
import { marker } from "../core/markers.js";
import { quote } from "../core/people-text.js";
import { advisoryComments } from "../github/advisories.js";
import { checkTrackerPrivate } from "./read.js";
import { advisoryRepoOf, ghsaOf, trackerRef } from "./tracking-markers.js";

/**
 * With `features.advisory_comments`, the conversation on the advisory (the reporter's words) is copied
 * into the tracking issue, one app comment per advisory comment (`advisory-comment:<id>` makes it
 * once-only). The app's own advisory comments are approved drafts already visible in the issue.
 * For the sweep: call `mirrorAdvisoryComments` for each open tracking issue.
 */

export const mirrorKey = (advisoryCommentId: number) => `advisory-comment:${advisoryCommentId}`;
/** Who wrote the mirrored comment: a member's words on the advisory count as their activity (sweep). */
export const mirroredAuthorKey = (login: string) => `by:${login.toLowerCase()}`;

export function planCommentMirror(
  tracking: { repo: RepoRef; number: number },
  advisory: { ghsaId: string; comments: AdvisoryComment[] },
  /** Marker keys in the app's own comments on the tracking issue (what was mirrored before). */
  ownMarkers: Iterable<string>,
  self: Identity,
): Action[] {
  const mirrored = new Set(ownMarkers);
  return advisory.comments
    .filter((c) => !(c.user && isOwn(c, self)) && !mirrored.has(mirrorKey(c.id)))
    .map((c) => ({
      kind: "issue.comment" as const,
      ...tracking,
      body: [
        `**${c.user?.login ?? "ghost"}** commented on ${advisory.ghsaId} (${c.created_at}):`,
        "",
        quote(c.body),
        "",
        marker(mirrorKey(c.id)),
        marker(mirroredAuthorKey(c.user?.login ?? "ghost")),
      ].join("\n"),
      why: `mirror advisory comment ${c.id} of ${advisory.ghsaId}`,
    }));
}

/** An open tracking issue as the sweep read it: its body names the advisory. */
export interface MirrorTarget {
  number: number;
  body?: string | null;
  user?: { login?: string } | null;
  /** Marker keys in the app's own comments on the issue (the sweep has read them already). */
  ownMarkers: string[];
}

/**
 * Copies new advisory comments into the tracking issues given. Nothing when the feature is off; the
 * tracker's privacy is checked once per call, before any report text is written.
 */
export async function mirrorAdvisoryComments(
  rt: Runtime,
  charter: Charter,
  targets: MirrorTarget[],
): Promise<ActionResult[]> {
  if (!charter.features.advisory_comments || targets.length === 0) return [];
  if (!(await checkTrackerPrivate(rt, charter)).ok) return [];
  const self = await rt.self();
  const repo = trackerRef(charter);
  const results: ActionResult[] = [];
  for (const target of targets) {
    const ghsaId = ghsaOf(target, self);
    const advisoryRepo = advisoryRepoOf(target, self);
    if (!ghsaId || !advisoryRepo) continue;
    const comments = await advisoryComments(rt, advisoryRepo, ghsaId);
    const tracking = { repo, number: target.number };
    results.push(
      ...(await rt.apply(planCommentMirror(tracking, { ghsaId, comments }, target.ownMarkers, self))),
    );
  }
  return results;
}
