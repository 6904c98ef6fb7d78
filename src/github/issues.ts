import type { RepoRef } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
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
