import { parseArgs } from "node:util";
import { withSharedLocks } from "../scale/locks.js";
import { type SweepSteps, type SweepSummary, sweepInstallation, sweepSteps } from "../sweep/sweep.js";
import { cliRuntime } from "./github.js";
import { type CliCommand, UsageError } from "./types.js";

/** What the sweep command runs on: the org's runtime and the sweep's steps (tests pass fakes). */
export interface SweepCommandDeps {
  runtime: typeof cliRuntime;
  steps: SweepSteps;
}

export const sweepCommand = createSweepCommand({ runtime: cliRuntime, steps: sweepSteps });

export function createSweepCommand({ runtime, steps }: SweepCommandDeps): CliCommand {
  return {
    name: "sweep",
    usage: "security-team sweep [--org ORG] [--dry-run] [--json] [--verbose]",
    summary:
      "one sweep of an org (default $GITHUB_REPOSITORY_OWNER): poll advisories, reconcile the team, stale-report reminders, reaffirmation, term ends; names no report unless --verbose",
    async run(args, io) {
      const { values } = parseArgs({
        args,
        options: {
          org: { type: "string" },
          "dry-run": { type: "boolean", default: false },
          json: { type: "boolean", default: false },
          verbose: { type: "boolean", default: false },
        },
      });
      const org = values.org ?? io.env.GITHUB_REPOSITORY_OWNER;
      if (!org) throw new UsageError("--org is required (or set GITHUB_REPOSITORY_OWNER)");
      const rt = await runtime(org, io.env, values["dry-run"], { appOnly: true });
      const summary = await withSharedLocks(io.env, rt, () => sweepInstallation(rt, steps));
      const shown = values.verbose ? summary : withoutReports(summary);
      io.out(values.json ? JSON.stringify(shown, null, 2) : renderSummary(shown));
      return summary.charter === "ok" && summary.failures.length === 0 ? 0 : 1;
    },
  };
}

/**
 * What the sweep says unless `--verbose`: whether each step went well. Its output often lands in an
 * Actions log, which anyone reads when the repository is public, so it names no advisory or tracking
 * issue and gives no count or age of reports: those say that something is under embargo, and for how long.
 */
export interface QuietSweepSummary extends Omit<SweepSummary, "advisories" | "reports"> {
  advisories?: "ok" | "problems";
  reports?: "ok" | "failed writes";
}

export function withoutReports(s: SweepSummary): QuietSweepSummary {
  const { advisories, reports, ...rest } = s;
  return {
    ...rest,
    ...(advisories ? { advisories: advisories.problems.length > 0 ? "problems" : "ok" } : {}),
    ...(reports
      ? { reports: reports.actions.some((a) => a.outcome === "failed") ? "failed writes" : "ok" }
      : {}),
  };
}

const VERBOSE_HINT = "details with --verbose, where the output stays private";

/** The summary for people: what was (or would be) done, step by step. */
export function renderSummary(s: SweepSummary | QuietSweepSummary): string {
  const lines = [`Sweep of ${s.org}${s.dryRun ? " (dry run: nothing written)" : ""}`];
  if (s.charter !== "ok") {
    lines.push(`charter ${s.charter}: nothing done`, ...(s.charterErrors ?? []).map((e) => `  ${e}`));
  }
  if (typeof s.advisories === "string") {
    lines.push(`advisories: ${s.advisories}${s.advisories === "ok" ? "" : ` (${VERBOSE_HINT})`}`);
  } else if (s.advisories) {
    lines.push(`advisories: ${s.advisories.open} open, ${s.advisories.changed} changed`);
    lines.push(...s.advisories.problems.map((p) => `  problem: ${p}`));
  }
  if (s.team) lines.push(`team: ${s.team.status}${s.team.summary ? `\n${indent(s.team.summary)}` : ""}`);
  if (typeof s.reports === "string") {
    lines.push(`reports: ${s.reports}${s.reports === "ok" ? "" : ` (${VERBOSE_HINT})`}`);
  } else if (s.reports) {
    const n = s.reports.actions.length;
    lines.push(
      `reports: ${s.reports.open} open, ${n} change${n === 1 ? "" : "s"}${s.dryRun ? " planned" : ""}`,
    );
    lines.push(
      ...s.reports.actions.map((a) => `  - ${a.target}: ${a.why}${s.dryRun ? "" : ` (${a.outcome})`}`),
    );
  }
  if (s.reaffirmation) lines.push(...s.reaffirmation.map((r) => `reaffirmation: ${r}`));
  if (s.terms) lines.push(...s.terms);
  lines.push(...s.failures.map((f) => `failed: ${f.step}: ${f.error}`));
  return lines.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
