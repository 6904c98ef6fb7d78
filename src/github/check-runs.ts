import type { RepoRef } from "../core/actions.js";
import type { GitHub } from "../core/executor.js";
import type { GitHubReader } from "./reader.js";

export type CheckRun = Awaited<
  ReturnType<GitHub["rest"]["checks"]["listForRef"]>
>["data"]["check_runs"][number];

/**
 * The app's own check runs named `name` on a commit, every page. A run is the app's only by the app's
 * id: any app (or a workflow) can write a run with the same name, and without an app id (the CLI
 * with a personal token) nothing is the app's.
 */
export async function ownCheckRuns(
  reader: GitHubReader,
  repo: RepoRef,
  ref: string,
  name: string,
): Promise<CheckRun[]> {
  const self = await reader.self();
  const runs = await reader.octokit.paginate(reader.octokit.rest.checks.listForRef, {
    ...repo,
    ref,
    check_name: name,
    per_page: 100,
  });
  return runs.filter((run) => self.appId !== undefined && run.app?.id === self.appId);
}
