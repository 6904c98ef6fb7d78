import type { RepoRef } from "../core/actions.js";
import { isOwn } from "../core/identity.js";
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

/**
 * Which open pull requests (any base) have head `sha`. The open pull requests of `repo` are listed once,
 * at the first question, so work that judges several pull requests in one delivery reads them once.
 */
export function openPullHeads(reader: Client, repo: RepoRef): (sha: string) => Promise<number[]> {
  let open: Promise<{ number: number; head: { sha: string } }[]> | undefined;
  return async (sha) => {
    open ??= reader.octokit.paginate(reader.octokit.rest.pulls.list, {
      ...repo,
      state: "open",
      per_page: 100,
    });
    return (await open).filter((p) => p.head.sha === sha).map((p) => p.number);
  };
}

/**
 * The open pull requests into `base`, most recently updated first: at most `limit` (under 100: one
 * request), and whether more are open.
 */
export async function openPullsInto(reader: Client, repo: RepoRef, base: string, limit: number) {
  const { data } = await reader.octokit.rest.pulls.list({
    ...repo,
    state: "open",
    base,
    sort: "updated",
    direction: "desc",
    per_page: limit + 1,
  });
  return { pulls: data.slice(0, limit), more: data.length > limit };
}

interface PullRead {
  number: number;
  head: { ref: string };
  user: { login: string; type?: string } | null;
}

/**
 * The app's pull requests in `repo` from a branch matching `branch`: open ones (every page), or, for
 * an exact `head` branch, in any state (GitHub filters by head: one request).
 */
export async function ownPulls(
  reader: GitHubReader,
  repo: RepoRef,
  find: { state: "open"; branch: RegExp } | { state: "all"; head: string },
): Promise<PullRead[]> {
  const self = await reader.self();
  const { octokit } = reader;
  const pulls = (
    find.state === "open"
      ? await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 })
      : (
          await octokit.rest.pulls.list({
            ...repo,
            state: "all",
            head: `${repo.owner}:${find.head}`,
            per_page: 100,
          })
        ).data
  ) as PullRead[];
  const matches = (ref: string) => (find.state === "open" ? find.branch.test(ref) : ref === find.head);
  return pulls.filter((p) => matches(p.head.ref) && isOwn(p, self));
}
