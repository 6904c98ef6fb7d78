import type { RepoRef } from "../core/actions.js";
import type { GitHubReader } from "./reader.js";

type Client = Pick<GitHubReader, "octokit">;

/** A pull request as GitHub has it now. */
export async function pullRequest(reader: Client, repo: RepoRef, number: number) {
  const { data } = await reader.octokit.rest.pulls.get({ ...repo, pull_number: number });
  return data;
}

/** Every review of a pull request, oldest first. */
export function pullReviews(reader: Client, repo: RepoRef, number: number) {
  return reader.octokit.paginate(reader.octokit.rest.pulls.listReviews, {
    ...repo,
    pull_number: number,
    per_page: 100,
  });
}

/** Open pull requests whose head is `sha` (any base). */
export async function openPullsAt(reader: Client, repo: RepoRef, sha: string): Promise<number[]> {
  const open = await reader.octokit.paginate(reader.octokit.rest.pulls.list, {
    ...repo,
    state: "open",
    per_page: 100,
  });
  return open.filter((p) => p.head.sha === sha).map((p) => p.number);
}
