import { findMember, isOnboarding, sameLogin } from "../charter/facts.js";
import { loginArg } from "../commands/parse.js";
import type { CommandInvocation, CommandOutcome, CommandSpec } from "../commands/types.js";
import type { Action } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import {
  type AdvisoryNow,
  type AdvisoryPlan,
  planAccept,
  planCredit,
  planCve,
  planCvss,
  planCwes,
  planFork,
  planReject,
  planSeverity,
  planStatusRefresh,
} from "./advisory-work.js";
import { inert } from "./intake.js";
import { type IssueData, readReport, type TrackingIssue, trackingIssue } from "./tracker.js";

/**
 * The control room: commands on a tracking issue that change its advisory. Each reads the advisory
 * fresh, asks a pure planner (`advisory-work.ts`) for the one change, applies it, and answers with
 * what changed (or GitHub's reason for refusing it); the issue's body is then refreshed to show the
 * advisory as it is now.
 */

type Planner = (inv: CommandInvocation, issue: TrackingIssue, advisory: AdvisoryNow) => AdvisoryPlan;

/** Who may change the advisory: the report's owner or any full member. */
function mayWork(inv: CommandInvocation, issue: TrackingIssue): boolean {
  const member = findMember(inv.charter, inv.sender);
  if (!member) return false;
  return (
    !isOnboarding(inv.charter, member, inv.ctx.now) || issue.assignees.some((a) => sameLogin(a, inv.sender))
  );
}

async function readAdvisory(
  inv: CommandInvocation,
  issue: TrackingIssue,
): Promise<{ advisory: AdvisoryNow } | { error: string }> {
  try {
    const report = await readReport(inv.ctx, issue);
    return { advisory: report.advisory as unknown as AdvisoryNow };
  } catch (error) {
    return { error: `cannot read ${issue.ghsa} (HTTP ${statusOf(error) ?? "error"})` };
  }
}

/** GitHub's refusal in one neutralised line: a 422 says why (a CVE already requested, a field missing…). */
function refusal(status: number | undefined, error: string | undefined): string {
  const why = inert((error ?? "no reason given").slice(0, 300));
  return status === 422 ? `GitHub refused it: ${why}` : `GitHub answered HTTP ${status ?? "error"} (${why})`;
}

function advisoryCommand(
  name: string,
  plan: Planner,
  after?: (inv: CommandInvocation, issue: TrackingIssue) => Action[],
) {
  return async (inv: CommandInvocation): Promise<CommandOutcome> => {
    const { ctx, sender } = inv;
    const issue = trackingIssue(ctx.payload.issue as unknown as IssueData, await ctx.self());
    if (!issue)
      return { reply: `\`/${name}\` works only in a tracking issue the app opened for an advisory.` };
    if (!issue.advisoryRepo)
      return {
        reply: `@${sender}: this tracking issue does not name its advisory's repository. Nothing changed.`,
      };
    if (!mayWork(inv, issue))
      return {
        reply: `@${sender}: refused. Only the report's owner or a full member can run \`/${name}\`. Nothing changed.`,
      };
    const read = await readAdvisory(inv, issue);
    if ("error" in read)
      return { reply: `@${sender}: ${read.error}. Nothing changed; run \`/${name}\` again.` };
    const planned = plan(inv, issue, read.advisory);
    if ("unchanged" in planned) return { reply: `@${sender}: ${planned.unchanged}` };

    const [result] = await ctx.applyAnswered([planned.change]);
    if (result?.outcome === "failed")
      return {
        reply: `@${sender}: \`/${name}\` changed nothing on ${issue.ghsa}: ${refusal(result.status, result.error)}.`,
      };
    const done = planned.done + forkLink(result?.data);
    const now = ctx.dryRun ? undefined : await readAdvisory(inv, issue);
    const refresh =
      now && "advisory" in now
        ? planStatusRefresh(inv.repo, issue.number, ctx.payload.issue.body ?? "", now.advisory)
        : [];
    return { reply: `@${sender} ${done}`, actions: [...refresh, ...(after?.(inv, issue) ?? [])] };
  };
}

function forkLink(data: unknown): string {
  const url = (data as { html_url?: unknown } | undefined)?.html_url;
  return typeof url === "string" && url.includes("/") && !url.includes("/security/advisories/")
    ? `: ${inert(url)}`
    : "";
}

/** After `/reject`, the tracking issue closes as not planned (marked as the app's close, like the mirror's). */
function closeTracking(inv: CommandInvocation, issue: TrackingIssue): Action[] {
  if (issue.state === "closed") return [];
  return [
    {
      kind: "issue.update",
      repo: inv.repo,
      number: issue.number,
      state: "closed",
      stateReason: "not_planned",
      why: `@${inv.sender} rejected the report`,
    },
  ];
}

const who = "owner-or-full-member" as const;

export const advisoryCommands: CommandSpec[] = [
  {
    name: "accept",
    usage: "/accept",
    summary: "accept the report: the advisory goes from triage to draft",
    who,
    scope: "report",
    run: advisoryCommand("accept", (inv, issue, a) =>
      planAccept(issue.advisoryRepo ?? inv.repo, a, inv.sender),
    ),
  },
  {
    name: "reject",
    usage: "/reject [reason]",
    summary: "close the advisory; this issue closes as not planned, with the reason",
    who,
    scope: "report",
    run: advisoryCommand(
      "reject",
      (inv, issue, a) =>
        planReject(
          issue.advisoryRepo ?? inv.repo,
          a,
          inv.sender,
          [inv.args.join(" "), inv.body].join("\n").trim(),
        ),
      closeTracking,
    ),
  },
  {
    name: "severity",
    usage: "/severity LEVEL",
    summary: "set the advisory's severity: low, medium, high or critical",
    who,
    scope: "report",
    run: advisoryCommand("severity", (inv, issue, a) =>
      planSeverity(issue.advisoryRepo ?? inv.repo, a, inv.sender, inv.args[0] ?? ""),
    ),
  },
  {
    name: "cvss",
    usage: "/cvss CVSS:3.1/AV:N/… or CVSS:4.0/…",
    summary: "set the advisory's CVSS vector (3.1 or 4.0)",
    who,
    scope: "report",
    run: advisoryCommand("cvss", (inv, issue, a) =>
      planCvss(issue.advisoryRepo ?? inv.repo, a, inv.sender, inv.args[0] ?? ""),
    ),
  },
  {
    name: "cwe",
    usage: "/cwe CWE-79 [CWE-…]",
    summary: "add CWE ids to the advisory (the ones there stay)",
    who,
    scope: "report",
    run: advisoryCommand("cwe", (inv, issue, a) =>
      planCwes(issue.advisoryRepo ?? inv.repo, a, inv.sender, inv.args),
    ),
  },
  {
    name: "credit",
    usage: "/credit @login [type]",
    summary: "credit someone on the advisory (finder by default; the credits there stay)",
    who,
    scope: "report",
    run: async (inv) => {
      const login = loginArg(inv.args[0]);
      if (!login) return { reply: `@${inv.sender}: usage: \`/credit @login [type]\`. Nothing changed.` };
      return advisoryCommand("credit", (i, issue, a) =>
        planCredit(issue.advisoryRepo ?? i.repo, a, i.sender, login, i.args[1]),
      )(inv);
    },
  },
  {
    name: "cve",
    usage: "/cve",
    summary: "ask GitHub for a CVE id for the advisory",
    who,
    scope: "report",
    run: advisoryCommand("cve", (inv, issue, a) => planCve(issue.advisoryRepo ?? inv.repo, a, inv.sender)),
  },
  {
    name: "fork",
    usage: "/fork",
    summary: "create the advisory's temporary private fork; the reply links it",
    who,
    scope: "report",
    run: advisoryCommand("fork", (inv, issue, a) => planFork(issue.advisoryRepo ?? inv.repo, a, inv.sender)),
  },
];
