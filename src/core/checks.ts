import type { Action, CheckConclusion, CheckOutput, RepoRef } from "./actions.js";

/** The app's own run of a check on a commit, as read back from GitHub. */
export interface ExistingCheckRun {
  id: number;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
}

export interface CheckVerdict {
  conclusion: CheckConclusion;
  output: CheckOutput;
}

/**
 * The one run of check `name` for the head sha: created, or updated when it already exists and says
 * something else, so a repeated delivery never makes a second run nor rewrites the same one.
 */
export function planCheckRun(target: {
  repo: RepoRef;
  name: string;
  headSha: string;
  existingRun: ExistingCheckRun | undefined;
  verdict: CheckVerdict;
  why: string;
}): Action[] {
  const { repo, existingRun: run, why } = target;
  const { conclusion, output } = target.verdict;
  if (run === undefined) {
    return [
      { kind: "check.create", repo, name: target.name, headSha: target.headSha, conclusion, output, why },
    ];
  }
  if (run.conclusion === conclusion && run.title === output.title && run.summary === output.summary)
    return [];
  return [{ kind: "check.update", repo, checkRunId: run.id, conclusion, output, why }];
}
