import type { CharterError, LoadResult } from "./loader.js";

/** Where the charter lives: `CHARTER_REPO` in the org (default `.github`), at `CHARTER_PATH`. */
export interface CharterLocation {
  org: string;
  repo: string;
  path: string;
}

export const DEFAULT_CHARTER_REPO = ".github";
export const DEFAULT_CHARTER_PATH = ".github/security-charter.yml";

export function charterLocation(org: string, env: NodeJS.ProcessEnv = process.env): CharterLocation {
  return {
    org,
    repo: env.CHARTER_REPO || DEFAULT_CHARTER_REPO,
    path: env.CHARTER_PATH || DEFAULT_CHARTER_PATH,
  };
}

/** The charter's repository, as the GitHub readers and actions name a repository. */
export function charterRepo(where: CharterLocation): { owner: string; repo: string } {
  return { owner: where.org, repo: where.repo };
}

/** The charter as read from GitHub (src/github/charter-source.ts): loaded, invalid, or missing. */
export type CharterRead = LoadResult | { ok: false; missing: true; errors: CharterError[] };

/** A push GitHub sends lists at most 2048 commits; a longer one may hide a charter change. */
const MAX_PUSH_COMMITS = 2048;

/** What a push event says that tells whether it changed the charter. */
export interface PushFacts {
  ref: string;
  deleted: boolean;
  repository: { name: string; owner: { login: string } | null; default_branch: string };
  commits: { added?: string[]; modified?: string[]; removed?: string[] }[];
}

/** A push to the charter repo's default branch that adds, modifies or removes the charter file. */
export function pushTouchesCharter(push: PushFacts, where: CharterLocation): boolean {
  const repo = push.repository;
  if (push.deleted) return false;
  if (repo.name.toLowerCase() !== where.repo.toLowerCase()) return false;
  if (repo.owner?.login.toLowerCase() !== where.org.toLowerCase()) return false;
  if (push.ref !== `refs/heads/${repo.default_branch}`) return false;
  if (push.commits.length >= MAX_PUSH_COMMITS) return true;
  return push.commits.some((c) =>
    [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(where.path),
  );
}
