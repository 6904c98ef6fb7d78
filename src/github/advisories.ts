import type { RepoRef } from "../core/actions.js";
import { type AdvisoryComment, listAdvisoryComments } from "../core/advisory-comments.js";
import type { GitHubReader } from "./reader.js";

/** A repository advisory as GitHub has it now: an event's copy may be late, and its lists change outside the app. */
export async function repositoryAdvisory(
  reader: Pick<GitHubReader, "octokit">,
  repo: RepoRef,
  ghsaId: string,
) {
  const { data } = await reader.octokit.rest.securityAdvisories.getRepositoryAdvisory({
    ...repo,
    ghsa_id: ghsaId,
  });
  return data;
}

/** The org's repository advisories in one state, every page. */
export function orgRepositoryAdvisories(
  reader: Pick<GitHubReader, "octokit">,
  org: string,
  state: "triage" | "draft" | "published" | "closed",
) {
  return reader.octokit.paginate(reader.octokit.rest.securityAdvisories.listOrgRepositoryAdvisories, {
    org,
    state,
    per_page: 100,
  });
}

/** Every comment on an advisory, oldest first (through the one adapter for these preview routes). */
export function advisoryComments(
  reader: Pick<GitHubReader, "octokit">,
  repo: RepoRef,
  ghsaId: string,
): Promise<AdvisoryComment[]> {
  return listAdvisoryComments(reader.octokit, repo, ghsaId);
}
