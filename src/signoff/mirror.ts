import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import type { Runtime } from "../core/context.js";
import type { ActionResult } from "../core/executor.js";
import { type Identity, isOwn } from "../core/identity.js";
import { marker, markersIn } from "../core/markers.js";
import { advisoryRepoOf, ghsaOf, trackerRef } from "../reports/tracking.js";
import { type AdvisoryComment, listAdvisoryComments } from "./advisory-comments.js";
import type { CommentLike } from "./pending.js";

/**
 * With `features.advisory_comments`, the conversation on the advisory (the reporter's words) is copied
 * into the tracking issue, one app comment per advisory comment (`advisory-comment:<id>` makes it
 * once-only). The app's own advisory comments are approved drafts already visible in the issue.
 * For the sweep: call `mirrorAdvisoryComments` for each open tracking issue.
 */

export const mirrorKey = (advisoryCommentId: number) => `advisory-comment:${advisoryCommentId}`;
/** Who wrote the mirrored comment: a member's words on the advisory count as their activity (sweep). */
export const mirroredAuthorKey = (login: string) => `by:${login.toLowerCase()}`;

/** `@login` in copied text would notify people from the private tracker; a zero-width joiner prevents it. */
const quietMentions = (text: string) => text.replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, "$1@\u200d");

export function planMirror(
  tracking: { repo: RepoRef; number: number },
  advisory: { ghsaId: string; comments: AdvisoryComment[] },
  issueComments: CommentLike[],
  self: Identity,
): Action[] {
  const mirrored = new Set(issueComments.filter((c) => isOwn(c, self)).flatMap((c) => markersIn(c.body)));
  return advisory.comments
    .filter((c) => !(c.user && isOwn(c, self)) && !mirrored.has(mirrorKey(c.id)))
    .map((c) => ({
      kind: "issue.comment" as const,
      ...tracking,
      body: [
        `**${c.user?.login ?? "ghost"}** commented on ${advisory.ghsaId} (${c.created_at}):`,
        "",
        quietMentions(c.body)
          .split("\n")
          .map((line) => `> ${line}`)
          .join("\n"),
        "",
        marker(mirrorKey(c.id)),
        marker(mirroredAuthorKey(c.user?.login ?? "ghost")),
      ].join("\n"),
      why: `mirror advisory comment ${c.id} of ${advisory.ghsaId}`,
    }));
}

interface TrackingIssue {
  number: number;
  body?: string | null;
  user?: { login?: string } | null;
  performed_via_github_app?: { id?: number } | null;
}

/** Copies new advisory comments into one tracking issue. Nothing when the feature is off. */
export async function mirrorAdvisoryComments(
  rt: Runtime,
  charter: Charter,
  issue: TrackingIssue,
): Promise<ActionResult[]> {
  if (!charter.features.advisory_comments) return [];
  const self = await rt.self();
  const ghsaId = ghsaOf(issue, self);
  const advisoryRepo = advisoryRepoOf(issue, self);
  if (!ghsaId || !advisoryRepo) return [];
  const repo = trackerRef(charter);
  const { data: tracker } = await rt.octokit.rest.repos.get(repo);
  if (!tracker.private) {
    rt.log.warn(
      { tracker: charter.tracker },
      "tracker repository is not private: advisory comments not mirrored",
    );
    return [];
  }
  const comments = await listAdvisoryComments(rt.octokit, advisoryRepo, ghsaId);
  const issueComments = await rt.octokit.paginate(rt.octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issue.number,
    per_page: 100,
  });
  return rt.apply(planMirror({ repo, number: issue.number }, { ghsaId, comments }, issueComments, self));
}
