import { loadCharter } from "../charter/loader.js";
import { applyLapsePlan, type LapsePlan } from "../charter/members-edit.js";
import type { Runtime } from "../context.js";
import type { RepoRef } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import { isOwn } from "../core/identity.js";

/** A charter pull request the app opens to remove members (a term end, a voluntary leave). */
export interface RemovalPull {
  branch: string;
  removed: string[];
  /** Members whose `reaffirmed` date the same edit sets (the reaffirmation's pull request). */
  confirmed?: LapsePlan["confirmed"];
  title: string;
  body: string;
  commitMessage: string;
  why: string;
}

export type PullOutcome = { number: number; opened: boolean } | { problem: string };

interface PullRead {
  number: number;
  head: { ref: string };
  user: { login: string; type?: string } | null;
  performed_via_github_app?: { id?: number } | null;
}

/**
 * The app's pull requests in the charter repository from a branch matching `branch`: open ones (every
 * page), or, for an exact `head` branch, in any state (GitHub filters by head: one request).
 */
export async function ownPulls(
  rt: Runtime,
  find: { state: "open"; branch: RegExp } | { state: "all"; head: string },
): Promise<PullRead[]> {
  const self = await rt.self();
  const repo = { owner: rt.where.org, repo: rt.where.repo };
  const pulls = (
    find.state === "open"
      ? await rt.octokit.paginate(rt.octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 })
      : (
          await rt.octokit.rest.pulls.list({
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

/**
 * Opens the pull request that removes `removed` from the charter on the default branch, editing only
 * their lines (every comment and blank line elsewhere stays). Refuses when the result would not load.
 */
export async function openRemovalPull(rt: Runtime, pull: RemovalPull): Promise<PullOutcome> {
  const repo: RepoRef = { owner: rt.where.org, repo: rt.where.repo };
  const { data: repository } = await rt.octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  const file = await rt.octokit.rest.repos
    .getContent({ ...repo, path: rt.where.path, mediaType: { format: "raw" } })
    .catch((error) => (statusOf(error) === 404 ? undefined : Promise.reject(error)));
  if (!file) return { problem: `the charter file ${rt.where.path} is missing` };
  const content = applyLapsePlan(String(file.data), {
    removed: pull.removed,
    confirmed: pull.confirmed ?? [],
  });
  const check = loadCharter(content, { file: rt.where.path, now: rt.now, org: rt.org });
  if (!check.ok) {
    return {
      problem: `not opening the pull request: the edited charter would be invalid (${check.errors.map((e) => e.message).join("; ")})`,
    };
  }
  const [result] = await rt.apply([
    {
      kind: "pull.createWithFile",
      repo,
      base: repository.default_branch,
      branch: pull.branch,
      path: rt.where.path,
      content,
      commitMessage: pull.commitMessage,
      title: pull.title,
      body: pull.body,
      why: pull.why,
    },
  ]);
  if (result?.outcome === "failed") return { problem: `could not open the pull request (${result.error})` };
  if (rt.dryRun) return { number: 0, opened: true };
  return { number: (result?.data as { number: number }).number, opened: true };
}
