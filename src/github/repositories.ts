import type { RepoRef } from "../core/actions.js";
import type { GitHubReader } from "./reader.js";

type Client = Pick<GitHubReader, "octokit">;

export type Visibility = "public" | "private" | "internal";

/**
 * Who can read a repository: `private` (its collaborators), `internal` (every member of the
 * enterprise) or `public`. Only a private repository may hold report data; only a public one is
 * open to all (a nomination may be read there).
 */
export async function repositoryVisibility(reader: Client, repo: RepoRef): Promise<Visibility> {
  const { data } = await reader.octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  if (data.visibility === "internal") return "internal";
  return data.private ? "private" : "public";
}

/** The repository's default branch, by name. */
export async function defaultBranch(reader: Client, repo: RepoRef): Promise<string> {
  const { data } = await reader.octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  return data.default_branch;
}

/** The commit at the tip of the default branch. */
export async function defaultBranchHead(reader: Client, repo: RepoRef): Promise<string> {
  const { data } = await reader.octokit.rest.repos.getCommit({ ...repo, ref: "HEAD" });
  return data.sha;
}
