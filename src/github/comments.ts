import type { RepoRef } from "../core/actions.js";
import type { GitHub } from "../core/executor.js";
import { isOwn } from "../core/identity.js";
import { markersIn } from "../core/markers.js";
import type { GitHubReader } from "./reader.js";

export type IssueComment = Awaited<ReturnType<GitHub["rest"]["issues"]["listComments"]>>["data"][number];

export interface CommentFilter {
  /** Only comments updated at or after this time (GitHub's `since`): what came after an event. */
  since?: string;
  /** Only the app's own comments: anyone can type a marker, so only these are records. */
  own?: boolean;
}

/** An issue's comments, oldest first, every page. */
export async function issueComments(
  reader: GitHubReader,
  repo: RepoRef,
  number: number,
  filter: CommentFilter = {},
): Promise<IssueComment[]> {
  const self = filter.own ? await reader.self() : undefined;
  const comments = await reader.octokit.paginate(reader.octokit.rest.issues.listComments, {
    ...repo,
    issue_number: number,
    ...(filter.since !== undefined ? { since: filter.since } : {}),
    per_page: 100,
  });
  return self ? comments.filter((c) => isOwn(c, self)) : comments;
}

/** Marker keys in the app's own comments on an issue, oldest first (milestones: `ack`, `owner:…`, …). */
export async function ownMarkers(
  reader: GitHubReader,
  repo: RepoRef,
  number: number,
  filter: Omit<CommentFilter, "own"> = {},
): Promise<string[]> {
  const own = await issueComments(reader, repo, number, { ...filter, own: true });
  return own.flatMap((c) => markersIn(c.body));
}
