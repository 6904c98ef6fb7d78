import { loadCharter } from "../charter/loader.js";
import { applyLapsePlan, type LapsePlan } from "../charter/members-edit.js";
import { charterRepo } from "../charter/source.js";
import type { Runtime } from "../context.js";
import { readCharterText } from "../github/charter-source.js";
import { defaultBranch } from "../github/repositories.js";

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

/**
 * Opens the pull request that removes `removed` from the charter on the default branch, editing only
 * their lines (every comment and blank line elsewhere stays). Refuses when the result would not load.
 */
export async function openRemovalPull(rt: Runtime, pull: RemovalPull): Promise<PullOutcome> {
  const repo = charterRepo(rt.where);
  const base = await defaultBranch(rt, repo);
  const text = await readCharterText(rt.octokit, rt.where);
  if (text === undefined) return { problem: `the charter file ${rt.where.path} is missing` };
  const content = applyLapsePlan(text, {
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
      base,
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
