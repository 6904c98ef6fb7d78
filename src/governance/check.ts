import type { CharterError } from "../charter/loader.js";
import type { Charter } from "../charter/schema.js";
import type { CharterRead } from "../charter/source.js";
import type { Action, CheckAnnotation, CheckConclusion, CheckOutput, RepoRef } from "../core/actions.js";
import { type ExistingCheckRun, planCheckRun } from "../core/checks.js";
import { sealed } from "../core/people-text.js";
import { describeChange, type Evaluated, evaluateChanges, overallVerdict, planChanges } from "./plan.js";
import type { Nomination, PullFacts, Verdict } from "./rules.js";

export const CHECK_NAME = "charter";

/** Open pull requests judged again per charter push: one push cannot spend the rate limit. */
export const MAX_REJUDGED = 50;

/** Everything the check needs, gathered by the handler. */
export interface CheckInput {
  repo: RepoRef;
  path: string;
  headSha: string;
  /** The app's existing `charter` run on the head sha: updated instead of creating a second one. */
  existingRun: ExistingCheckRun | undefined;
  /** The charter at the current tip of the default branch: its rules and members judge the PR. */
  base: CharterRead;
  /**
   * When `base` does not load: the newest valid charter in the default branch's history (walking
   * back the file's commits), which judges a PR that makes the file valid again.
   */
  lastValid: { charter: Charter; commit: string } | undefined;
  head: CharterRead;
  pull: PullFacts;
  nominations: Nomination[];
  /** The pull request judged, and every open pull request whose head is the same commit. */
  pullNumber: number;
  pullsAtHead: number[];
  now: Date;
}

const VERDICT_LABEL: Record<Verdict, string> = {
  pass: "✅ pass",
  pending: "⏳ pending",
  fail: "❌ fail",
};

/**
 * Pending is reported as `failure`: a completed run has no "waiting" conclusion, and `neutral` would
 * satisfy a required check. The title says which it is.
 */
const CONCLUSION: Record<Verdict, CheckConclusion> = { pass: "success", pending: "failure", fail: "failure" };

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderPlanTable(evaluated: Evaluated[]): string {
  const rows = evaluated.map(({ change, result }) => {
    const { who, what } = describeChange(change);
    return `| ${cell(who)} | ${cell(what)} | ${VERDICT_LABEL[result.verdict]} | ${cell(result.reason)} |`;
  });
  return ["| Login | Change | Verdict | Reason |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

function renderMissing(evaluated: Evaluated[]): string {
  const lines: string[] = [];
  for (const { change, result } of evaluated) {
    const { who } = describeChange(change);
    for (const item of result.missing) {
      const line = `- ${who}: ${item}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  return lines.length > 0 ? `### Still missing\n\n${lines.join("\n")}` : "";
}

const FOOTER =
  "Rules come from the charter at the tip of the default branch: who is a full member, the nomination window and rule, the removal rule. " +
  "The check is recomputed when the pull request changes, when reviews are submitted, edited or dismissed, and when the charter changes on the default branch.";

function renderWarnings(warnings: CharterError[]): string {
  if (warnings.length === 0) return "";
  const list = warnings.map((w) => `- line ${w.line}, column ${w.col}: ${w.message}`).join("\n");
  return `### Warnings (not blocking)\n\n${list}`;
}

export function renderSummary(
  evaluated: Evaluated[],
  verdict: Verdict,
  notes: { preamble?: string; warnings?: CharterError[] } = {},
): string {
  const headline = {
    pass: "**Every change meets the charter's rules.** This pull request can be merged.",
    pending: "**Not yet:** some changes still need approvals or time. Details below.",
    fail: "**Blocked:** a change cannot pass as it stands. Details below.",
  }[verdict];
  return [
    notes.preamble ?? "",
    headline,
    renderPlanTable(evaluated),
    renderMissing(evaluated),
    renderWarnings(notes.warnings ?? []),
    `_${FOOTER}_`,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function title(evaluated: Evaluated[], verdict: Verdict): string {
  const n = evaluated.length;
  const changes = `${n} ${n === 1 ? "change" : "changes"}`;
  const waiting = evaluated.filter((e) => e.result.verdict !== "pass").length;
  if (verdict === "pass") return `${changes}: all meet the charter's rules`;
  if (verdict === "pending") return `${changes}: ${waiting} waiting for approvals or time`;
  const blocked = evaluated.filter((e) => e.result.verdict === "fail").length;
  return `${changes}: ${blocked} blocked`;
}

/** The output for a head charter that does not load: every error is an annotation on its line. */
export function invalidOutput(path: string, read: Extract<CharterRead, { ok: false }>): CheckOutput {
  const annotations: CheckAnnotation[] = read.errors.map((e) => ({
    path,
    start_line: e.line,
    end_line: e.line,
    start_column: e.col,
    end_column: e.col,
    annotation_level: "failure",
    message: e.message,
  }));
  const missing = "missing" in read;
  const list = read.errors.map((e) => `- line ${e.line}, column ${e.col}: ${e.message}`).join("\n");
  return {
    title: missing
      ? "The charter file is missing"
      : `The charter is invalid (${read.errors.length} problems)`,
    summary: missing
      ? `This pull request deletes or moves \`${path}\`. The team's charter must stay at this path.`
      : `\`${path}\` does not load, so nothing in it can be evaluated or applied. Fix these:\n\n${list}`,
    ...(missing ? {} : { annotations }),
  };
}

/** The one `charter` check run for the head sha (see `planCheckRun`). */
export function planCharterCheck(input: CheckInput): Action[] {
  const { conclusion, output, why } = judge(input);
  // The summary quotes the PR's text (affiliations, links, YAML keys): sealed here as the executor will
  // write it, so the comparison with the existing run sees what GitHub holds.
  return planCheckRun({
    repo: input.repo,
    name: CHECK_NAME,
    headSha: input.headSha,
    existingRun: input.existingRun,
    verdict: { conclusion, output: { ...output, summary: sealed(output.summary) } },
    why,
  });
}

function warningAnnotations(path: string, warnings: CharterError[]): CheckAnnotation[] {
  return warnings.map((w) => ({
    path,
    start_line: w.line,
    end_line: w.line,
    start_column: w.col,
    end_column: w.col,
    annotation_level: "warning",
    message: w.message,
  }));
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

type Judged = { conclusion: CheckConclusion; output: CheckOutput; why: string };

/** Check runs attach to commits: when other open pull requests share the head, one verdict would stand for each. */
function sharedHead(input: Pick<CheckInput, "headSha" | "pullNumber" | "pullsAtHead">): Judged | undefined {
  const others = input.pullsAtHead.filter((n) => n !== input.pullNumber);
  if (others.length === 0) return undefined;
  const all = [input.pullNumber, ...others].sort((a, b) => a - b).map((n) => `#${n}`);
  return {
    conclusion: "failure",
    output: {
      title: "This commit is the head of several pull requests",
      summary:
        `Commit \`${shortSha(input.headSha)}\` is the head of ${all.join(" and ")}. A check run belongs to a commit, ` +
        `so one verdict would stand for all of them. Close one of ${all.join(", ")}, or push a new commit to one, and the check runs again.`,
    },
    why: `head commit shared by ${all.join(", ")}`,
  };
}

/**
 * The `charter` check of a pull request into the default branch that leaves the charter file as it
 * is: it passes, so that branch protection can require the check in a repository that holds more than
 * the charter. A head shared with other open pull requests fails as any other (one of them may change it).
 */
export function planUnchangedCharterCheck(
  input: Pick<CheckInput, "repo" | "path" | "headSha" | "existingRun" | "pullNumber" | "pullsAtHead">,
): Action[] {
  const verdict: Judged = sharedHead(input) ?? {
    conclusion: "success",
    output: {
      title: "No change to the charter",
      summary: `This pull request does not change \`${input.path}\`: nothing for the charter's rules to judge.`,
    },
    why: "the pull request does not change the charter",
  };
  return planCheckRun({
    repo: input.repo,
    name: CHECK_NAME,
    headSha: input.headSha,
    existingRun: input.existingRun,
    verdict: { conclusion: verdict.conclusion, output: verdict.output },
    why: verdict.why,
  });
}

function judge(input: CheckInput): Judged {
  const shared = sharedHead(input);
  if (shared) return shared;
  if (!input.head.ok) {
    return {
      conclusion: "failure",
      output: invalidOutput(input.path, input.head),
      why: "the charter in the PR is invalid",
    };
  }
  const head = input.head;
  let judgeBy: Charter;
  let preamble: string | undefined;
  if (input.base.ok) {
    judgeBy = input.base.charter;
  } else if (input.lastValid) {
    judgeBy = input.lastValid.charter;
    const what = "missing" in input.base ? "missing" : "invalid";
    preamble =
      `_The charter on the default branch is ${what}; this pull request makes it valid again, so it is judged ` +
      `by the newest valid charter in the branch's history (commit \`${shortSha(input.lastValid.commit)}\`)._`;
  } else if ("missing" in input.base) {
    // The first charter: nothing says who may approve, so no rule applies.
    return {
      conclusion: "neutral",
      output: {
        title: "No charter to judge against",
        summary:
          "There is no charter on the default branch yet, so no rule decides who may approve. The charter in this pull request is valid; review it by hand.",
      },
      why: "no charter on the default branch",
    };
  } else {
    return {
      conclusion: "failure",
      output: {
        title: "The charter on the default branch is invalid",
        summary:
          "The charter on the default branch does not load and no earlier version of it does, so no rule decides who may approve. " +
          "Nothing is applied until it is fixed; an org owner must merge the fix.",
      },
      why: "no valid charter on the default branch or in its history",
    };
  }
  const changes = planChanges(judgeBy, head.charter, { openedAt: input.pull.openedAt, now: input.now });
  const evaluated = evaluateChanges(judgeBy, changes, input.pull, input.nominations, input.now);
  const verdict = overallVerdict(evaluated);
  const annotations = warningAnnotations(input.path, head.warnings);
  return {
    conclusion: CONCLUSION[verdict],
    output: {
      title: title(evaluated, verdict),
      summary: renderSummary(evaluated, verdict, {
        ...(preamble ? { preamble } : {}),
        warnings: head.warnings,
      }),
      ...(annotations.length > 0 ? { annotations } : {}),
    },
    why: `charter change ${verdict}`,
  };
}
