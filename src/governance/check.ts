import { charterWarnings } from "../charter/facts.js";
import type { CharterRead } from "../charter/source.js";
import type { Action, CheckAnnotation, CheckConclusion, CheckOutput, RepoRef } from "../core/actions.js";
import { describeChange, type Evaluated, evaluateChanges, overallVerdict, planChanges } from "./plan.js";
import type { Nomination, PullFacts, Verdict } from "./rules.js";

export const CHECK_NAME = "charter";

export interface ExistingRun {
  id: number;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
}

/** Everything the check needs, gathered by the handler. */
export interface CheckInput {
  repo: RepoRef;
  path: string;
  headSha: string;
  /** The app's existing `charter` run on the head sha: updated instead of creating a second one. */
  existingRun: ExistingRun | undefined;
  base: CharterRead;
  head: CharterRead;
  pull: PullFacts;
  nominations: Nomination[];
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
  "Rules come from the charter on the base branch: who is a full member, the nomination window and rule, the removal rule. " +
  "The check is recomputed when the pull request changes and when reviews are submitted, edited or dismissed.";

export function renderSummary(evaluated: Evaluated[], verdict: Verdict): string {
  const headline = {
    pass: "**Every change meets the charter's rules.** This pull request can be merged.",
    pending: "**Not yet:** some changes still need approvals or time. Details below.",
    fail: "**Blocked:** a change is objected to. Details below.",
  }[verdict];
  return [headline, renderPlanTable(evaluated), renderMissing(evaluated), `_${FOOTER}_`]
    .filter(Boolean)
    .join("\n\n");
}

function title(evaluated: Evaluated[], verdict: Verdict): string {
  const n = evaluated.length;
  const changes = `${n} ${n === 1 ? "change" : "changes"}`;
  const waiting = evaluated.filter((e) => e.result.verdict !== "pass").length;
  if (verdict === "pass") return `${changes}: all meet the charter's rules`;
  if (verdict === "pending") return `${changes}: ${waiting} waiting for approvals or time`;
  return `${changes}: blocked by an objection`;
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

/**
 * The one `charter` check run for the head sha: created, or updated when it already exists and says
 * something else (so a repeated delivery never makes a second run, nor rewrites the same one).
 */
export function planCharterCheck(input: CheckInput): Action[] {
  const { conclusion, output, why } = judge(input);
  const run = input.existingRun;
  if (run !== undefined) {
    if (run.conclusion === conclusion && run.title === output.title && run.summary === output.summary)
      return [];
    return [{ kind: "check.update", repo: input.repo, checkRunId: run.id, conclusion, output, why }];
  }
  return [
    {
      kind: "check.create",
      repo: input.repo,
      name: CHECK_NAME,
      headSha: input.headSha,
      conclusion,
      output,
      why,
    },
  ];
}

function judge(input: CheckInput): { conclusion: CheckConclusion; output: CheckOutput; why: string } {
  if (!input.head.ok) {
    return {
      conclusion: "failure",
      output: invalidOutput(input.path, input.head),
      why: "the charter in the PR is invalid",
    };
  }
  if (!input.base.ok) {
    // Nothing on the base branch says who counts (the first charter, or a broken one): no rule applies.
    const what =
      "missing" in input.base
        ? "There is no charter on the base branch yet"
        : "The charter on the base branch is invalid";
    return {
      conclusion: "neutral",
      output: {
        title: "No base charter to judge against",
        summary: `${what}, so no rule decides who may approve. The charter in this pull request is valid; review it by hand.`,
      },
      why: "no valid base charter",
    };
  }
  const changes = planChanges(input.base.charter, input.head.charter);
  const evaluated = evaluateChanges(input.base.charter, changes, input.pull, input.nominations, input.now);
  const verdict = overallVerdict(evaluated);
  const warnings = headWarnings(input.head, input.now);
  return {
    conclusion: CONCLUSION[verdict],
    output: {
      title: title(evaluated, verdict),
      summary: [renderSummary(evaluated, verdict), ...warnings].join("\n\n"),
    },
    why: `charter change ${verdict}`,
  };
}

/**
 * What time has made stale in the PR's charter (a term that has ended): warnings in the summary, never
 * the verdict. Not annotations: GitHub keeps every annotation a run was ever sent, and the run is
 * updated with each review.
 */
function headWarnings(head: Extract<CharterRead, { ok: true }>, now: Date): string[] {
  const warnings = charterWarnings(head.charter, now).map((w) => {
    const { line } = head.locate(w.path);
    return `- line ${line}: ${w.message}`;
  });
  return warnings.length > 0 ? [`### Warnings\n\n${warnings.join("\n")}`] : [];
}
