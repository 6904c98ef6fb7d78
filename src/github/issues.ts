import type { RepoRef } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import { isOwn } from "../core/identity.js";
import { hasMarker } from "../core/markers.js";
import type { GitHubReader } from "./reader.js";

/** An issue as GitHub has it now, or undefined when it is gone (deleted, or transferred away). */
export async function issueNow(reader: Pick<GitHubReader, "octokit">, repo: RepoRef, number: number) {
  try {
    const { data } = await reader.octokit.rest.issues.get({ ...repo, issue_number: number });
    return data;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined;
    throw error;
  }
}

/**
 * Whether an issue the app opened, updated since `since`, carries the marker `key`: how a redelivery
 * or a later run finds the issue it already wrote. One page (the newest 100) is enough for a short `since`.
 */
export async function ownIssueMarked(
  reader: GitHubReader,
  repo: RepoRef,
  key: string,
  since: string,
): Promise<boolean> {
  const self = await reader.self();
  const { data } = await reader.octokit.rest.issues.listForRepo({
    ...repo,
    creator: self.login,
    state: "all",
    since,
    per_page: 100,
  });
  return data.some((issue) => isOwn(issue, self) && hasMarker(issue.body, key));
}

/** Every issue (and pull request: GitHub lists both) in `repo` updated since `since`, any state. */
export function issuesUpdatedSince(reader: Pick<GitHubReader, "octokit">, repo: RepoRef, since?: Date) {
  return reader.octokit.paginate(reader.octokit.rest.issues.listForRepo, {
    ...repo,
    state: "all",
    per_page: 100,
    ...(since ? { since: since.toISOString() } : {}),
  });
}

/** Every comment in `repo` updated since `since` (all when omitted), on any issue. */
export function issueCommentsUpdatedSince(
  reader: Pick<GitHubReader, "octokit">,
  repo: RepoRef,
  since?: Date,
) {
  return reader.octokit.paginate(reader.octokit.rest.issues.listCommentsForRepo, {
    ...repo,
    per_page: 100,
    ...(since ? { since: since.toISOString() } : {}),
  });
}
