import type { RepoRef } from "./actions.js";
import type { GitHub } from "./executor.js";

/**
 * The one adapter for GitHub's repository-advisory comments API (public preview since 2026-10-02,
 * not yet in @octokit/openapi, so Octokit has no typed methods for it). Everything that touches these
 * routes goes through this file; when the endpoints are published, only this file changes.
 * Comments written here are visible to the reporter: only approved drafts are ever sent.
 */

export interface AdvisoryComment {
  id: number;
  body: string;
  user: { login: string } | null;
  created_at: string;
  html_url?: string;
}

const COMMENTS = "/repos/{owner}/{repo}/security-advisories/{ghsa_id}/comments";

/** Every comment on an advisory, oldest first. Readers call it through `github/advisories.ts`. */
export async function listAdvisoryComments(
  octokit: GitHub,
  repo: RepoRef,
  ghsaId: string,
): Promise<AdvisoryComment[]> {
  return octokit.paginate(`GET ${COMMENTS}`, { ...repo, ghsa_id: ghsaId, per_page: 100 }) as Promise<
    AdvisoryComment[]
  >;
}

/** Adds a comment to an advisory. Only the executor calls this (it is a write). */
export async function addAdvisoryComment(
  octokit: GitHub,
  repo: RepoRef,
  ghsaId: string,
  body: string,
  request: { retries?: number } = {},
): Promise<{ data: AdvisoryComment }> {
  return octokit.request(`POST ${COMMENTS}`, { ...repo, ghsa_id: ghsaId, body, request }) as Promise<{
    data: AdvisoryComment;
  }>;
}
