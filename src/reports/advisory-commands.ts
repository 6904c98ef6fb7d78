import { findMember, isOnboarding, sameLogin } from "../charter/facts.js";
import { loginArg, parseCommand } from "../commands/parse.js";
import type { CommandAttempt, CommandInvocation, CommandOutcome, CommandSpec } from "../commands/types.js";
import { type Action, oneUpdatePerIssue } from "../core/actions.js";
import type { AdvisoryComment } from "../core/advisory-comments.js";
import { statusOf } from "../core/executor.js";
import { isOwn } from "../core/identity.js";
import { hasMarker, marker } from "../core/markers.js";
import { inertLine } from "../core/people-text.js";
import { advisoryComments } from "../github/advisories.js";
import { issueComments } from "../github/comments.js";
import {
  type AdvisoryStep,
  type PendingStep,
  pendingSteps,
  signoffReviewers,
  stepApprovedKey,
  stepDoneKey,
  stepRequestKey,
} from "../signoff/pending.js";
import {
  type AdvisoryNow,
  type AdvisoryPlan,
  planAccept,
  planCredit,
  planCve,
  planCvss,
  planCwes,
  planFork,
  planPublish,
  planReject,
  planSeverity,
  planStatusRefresh,
  reporterNotice,
} from "./advisory-work.js";
import { readReport, type TrackingIssue, trackingIssue } from "./read.js";

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
  const why = inertLine((error ?? "no reason given").slice(0, 300));
  return status === 422 ? `GitHub refused it: ${why}` : `GitHub answered HTTP ${status ?? "error"} (${why})`;
}

type Gate = "now" | { approvals: number; why: string };

interface Work {
  name: string;
  plan: Planner;
  after?: (inv: CommandInvocation, issue: TrackingIssue) => Action[];
  /** Whether the step waits for full members' `/approve` (onboarding sign-off, the two-person rule). */
  gate?: (inv: CommandInvocation, issue: TrackingIssue) => Gate;
}

function advisoryCommand(work: Work) {
  const { name } = work;
  return async (inv: CommandInvocation): Promise<CommandOutcome> => {
    const { ctx, sender } = inv;
    const issue = trackingIssue(inv.issue, await ctx.self());
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
    const planned = work.plan(inv, issue, read.advisory);
    if ("unchanged" in planned) return { reply: `@${sender}: ${planned.unchanged}` };
    const gate = work.gate?.(inv, issue) ?? "now";
    if (gate !== "now") return requestStep(inv, issue, name as AdvisoryStep, gate);
    return carryOut(inv, issue, planned, work.after);
  };
}

/**
 * The planned change goes first (GitHub's refusal is the reply and does not fail the delivery); after
 * it, the issue's body is refreshed from the advisory as it is now, and the reporter told.
 */
function carryOut(
  inv: CommandInvocation,
  issue: TrackingIssue,
  planned: { change: Action; done: string },
  after: Work["after"],
  by = inv.sender,
): CommandAttempt {
  const { ctx, sender } = inv;
  return {
    attempt: [planned.change],
    answered: true,
    failed: (result) =>
      `@${sender}: nothing changed on ${issue.ghsa}: ${refusal(result.status, result.error)}.`,
    succeeded: async ([result]) => {
      const done = planned.done + forkLink(result?.data);
      const now = ctx.dryRun ? undefined : await readAdvisory(inv, issue);
      const refresh =
        now && "advisory" in now
          ? planStatusRefresh(inv.repo, issue.number, inv.issue.body ?? "", now.advisory)
          : [];
      const told = await tellReporter(inv, issue, planned.change);
      return {
        reply: `@${by} ${done}${told.note}`,
        // The refreshed section and `/reject`'s close go in one PATCH.
        actions: oneUpdatePerIssue([...refresh, ...(after?.(inv, issue) ?? []), ...told.actions]),
      };
    },
  };
}

/** With `features.advisory_comments`, the reporter hears of the milestone on the advisory, once. */
async function tellReporter(
  inv: CommandInvocation,
  issue: TrackingIssue,
  change: Action,
): Promise<{ actions: Action[]; note: string }> {
  const notice = reporterNotice(change);
  if (!notice || !inv.charter.features.advisory_comments || !issue.advisoryRepo)
    return { actions: [], note: "" };
  const self = await inv.ctx.self();
  const comments = await advisoryComments(inv.ctx, issue.advisoryRepo, issue.ghsa).catch(
    (error: unknown) => error,
  );
  if (!Array.isArray(comments))
    return {
      actions: [],
      note: ` (The reporter was not told: reading the advisory's comments failed, HTTP ${statusOf(comments) ?? "error"}.)`,
    };
  if (comments.some((c: AdvisoryComment) => isOwn(c, self) && hasMarker(c.body, notice.key)))
    return { actions: [], note: "" };
  return {
    note: " The reporter is told on the advisory.",
    actions: [
      {
        kind: "advisory.comment",
        repo: issue.advisoryRepo,
        ghsaId: issue.ghsa,
        body: `${notice.text}\n\n${marker(notice.key)}`,
        why: `tell the reporter (${notice.key})`,
      },
    ],
  };
}

/**
 * Records a step that waits for full members' `/approve`; the label shows something awaits sign-off.
 * The same step already waiting is not recorded twice.
 */
async function requestStep(
  inv: CommandInvocation,
  issue: TrackingIssue,
  step: AdvisoryStep,
  gate: { approvals: number; why: string },
): Promise<CommandOutcome> {
  const { charter, sender, ctx } = inv;
  const comments = await issueComments(ctx, inv.repo, issue.number);
  const waiting = pendingSteps(comments, await ctx.self()).find((p) => p.step === step);
  if (waiting)
    return {
      reply: `@${sender}: \`/${step}\` by @${waiting.requester} already waits for \`/approve\`. Nothing changed.`,
    };
  const reviewers = signoffReviewers(charter, issue.assignees[0], sender, ctx.now);
  const count = gate.approvals === 1 ? "a full member" : `${gate.approvals} full members`;
  return {
    reply: [
      `\`/${step}\` by @${sender} on ${issue.ghsa} waits for ${count} other than @${sender} to comment \`/approve\`: ${gate.why}.`,
      "",
      `${reviewers}: please review it.`,
      "",
      marker(stepRequestKey(step, sender, inv.commentId)),
    ].join("\n"),
    actions: [
      {
        kind: "issue.addLabels",
        repo: inv.repo,
        number: issue.number,
        labels: [charter.labels.needs_signoff],
        why: `/${step} by @${sender} awaits approval`,
      },
    ],
  };
}

function onboarding(inv: CommandInvocation, login: string): boolean {
  const member = findMember(inv.charter, login);
  return member !== undefined && isOnboarding(inv.charter, member, inv.ctx.now);
}

/** An onboarding member's accept and reject wait for a full member, like their closes and drafts. */
function onboardingGate(inv: CommandInvocation): Gate {
  return onboarding(inv, inv.sender)
    ? { approvals: 1, why: `@${inv.sender} is still onboarding, so a full member signs off` }
    : "now";
}

/** `/publish`: the two-person rule (`policy.publish.approvals`), and at least one full member for an onboarding member. */
function publishGate(inv: CommandInvocation): Gate {
  const rule = inv.charter.policy.publish.approvals;
  if (onboarding(inv, inv.sender))
    return {
      approvals: Math.max(rule, 1),
      why: `@${inv.sender} is still onboarding, so a full member signs off`,
    };
  return rule === 0
    ? "now"
    : { approvals: rule, why: "publishing takes two people (the charter's two-person rule)" };
}

function rejectReason(text: string | null | undefined): string {
  const parsed = parseCommand(text);
  return parsed ? [parsed.args.join(" "), parsed.body].join("\n").trim() : "";
}

function stepPlanner(step: AdvisoryStep, reason: string, requester: string): Planner {
  return (inv, issue, a) => {
    const repo = issue.advisoryRepo ?? inv.repo;
    if (step === "accept") return planAccept(repo, a, requester);
    if (step === "reject") return planReject(repo, a, requester, reason);
    return planPublish(repo, a, requester);
  };
}

/**
 * `/approve` of a pending advisory step (called by the sign-off command): records the approval, and
 * once enough full members other than the requester approved, carries the step out. GitHub's refusal
 * leaves the step pending, so `/approve` can be repeated once the advisory is fixed.
 */
export async function approveStep(
  inv: CommandInvocation,
  pending: PendingStep,
  commandText: string | null | undefined,
  stillPending: boolean,
): Promise<CommandOutcome> {
  const { ctx, charter, sender } = inv;
  const { step, requester, commentId } = pending;
  if (sameLogin(sender, requester))
    return {
      reply: `@${sender}: you asked for \`/${step}\` yourself; it needs another full member's \`/approve\`. Nothing changed.`,
    };
  if (pending.approvers.some((a) => sameLogin(a, sender)))
    return { reply: `@${sender}: you already approved \`/${step}\` by @${requester}. Nothing changed.` };
  const issue = trackingIssue(inv.issue, await ctx.self());
  if (!issue?.advisoryRepo) return { reply: `@${sender}: this issue names no advisory. Nothing changed.` };
  const rule = step === "publish" ? charter.policy.publish.approvals : 0;
  const needed = Math.max(rule, onboarding(inv, requester) ? 1 : 0, 1);
  const approvals = pending.approvers.length + 1;
  const approved = marker(stepApprovedKey(commentId, sender));
  if (approvals < needed)
    return {
      reply: `Approved by @${sender}: \`/${step}\` by @${requester} has ${approvals} of ${needed} approvals.\n\n${approved}`,
    };
  const read = await readAdvisory(inv, issue);
  if ("error" in read)
    return { reply: `@${sender}: ${read.error}. Nothing changed; run \`/approve\` again.` };
  const planned = stepPlanner(step, rejectReason(commandText), requester)(inv, issue, read.advisory);
  if ("unchanged" in planned)
    return {
      reply: `@${sender}: \`/${step}\` by @${requester} is moot: ${planned.unchanged}\n\n${marker(stepDoneKey(commentId))}`,
      actions: withoutLabel(inv, issue, stillPending),
    };
  const carried = carryOut(inv, issue, planned, step === "reject" ? closeTracking : undefined, requester);
  return {
    ...carried,
    failed: (result) =>
      `${carried.failed(result)} \`/${step}\` still awaits approval; \`/approve\` again once it is fixed.`,
    succeeded: async (results) => {
      const outcome = await carried.succeeded(results);
      return {
        reply: `Approved by @${sender}: ${outcome.reply}\n\n${approved}\n${marker(stepDoneKey(commentId))}`,
        actions: [...(outcome.actions ?? []), ...withoutLabel(inv, issue, stillPending)],
      };
    },
  };
}

function withoutLabel(inv: CommandInvocation, issue: TrackingIssue, stillPending: boolean): Action[] {
  if (stillPending || !issue.labels.includes(inv.charter.labels.needs_signoff)) return [];
  return [
    {
      kind: "issue.removeLabel",
      repo: inv.repo,
      number: issue.number,
      label: inv.charter.labels.needs_signoff,
      why: "nothing on this report awaits sign-off any more",
    },
  ];
}

function forkLink(data: unknown): string {
  const url = (data as { html_url?: unknown } | undefined)?.html_url;
  return typeof url === "string" && url.includes("/") && !url.includes("/security/advisories/")
    ? `: ${inertLine(url)}`
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

const at = (inv: CommandInvocation, issue: TrackingIssue) => issue.advisoryRepo ?? inv.repo;

export const advisoryCommands: CommandSpec[] = [
  {
    name: "accept",
    usage: "/accept",
    summary: "accept the report: the advisory goes from triage to draft",
    who,
    scope: "report",
    run: advisoryCommand({
      name: "accept",
      plan: (inv, issue, a) => planAccept(at(inv, issue), a, inv.sender),
      gate: onboardingGate,
    }),
  },
  {
    name: "reject",
    usage: "/reject [reason]",
    summary: "close the advisory; this issue closes as not planned, with the reason",
    who,
    scope: "report",
    run: advisoryCommand({
      name: "reject",
      plan: (inv, issue, a) =>
        planReject(at(inv, issue), a, inv.sender, rejectReason(inv.ctx.payload.comment.body)),
      after: closeTracking,
      gate: onboardingGate,
    }),
  },
  {
    name: "severity",
    usage: "/severity LEVEL",
    summary: "set the advisory's severity: low, medium, high or critical",
    who,
    scope: "report",
    run: advisoryCommand({
      name: "severity",
      plan: (inv, issue, a) => planSeverity(at(inv, issue), a, inv.sender, inv.args[0] ?? ""),
    }),
  },
  {
    name: "cvss",
    usage: "/cvss CVSS:3.1/AV:N/… or CVSS:4.0/…",
    summary: "set the advisory's CVSS vector (3.1 or 4.0)",
    who,
    scope: "report",
    run: advisoryCommand({
      name: "cvss",
      plan: (inv, issue, a) => planCvss(at(inv, issue), a, inv.sender, inv.args[0] ?? ""),
    }),
  },
  {
    name: "cwe",
    usage: "/cwe CWE-79 [CWE-…]",
    summary: "add CWE ids to the advisory (the ones there stay)",
    who,
    scope: "report",
    run: advisoryCommand({
      name: "cwe",
      plan: (inv, issue, a) => planCwes(at(inv, issue), a, inv.sender, inv.args),
    }),
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
      return advisoryCommand({
        name: "credit",
        plan: (i, issue, a) => planCredit(at(i, issue), a, i.sender, login, i.args[1]),
      })(inv);
    },
  },
  {
    name: "cve",
    usage: "/cve",
    summary: "ask GitHub for a CVE id for the advisory",
    who,
    scope: "report",
    run: advisoryCommand({ name: "cve", plan: (inv, issue, a) => planCve(at(inv, issue), a, inv.sender) }),
  },
  {
    name: "fork",
    usage: "/fork",
    summary: "create the advisory's temporary private fork; the reply links it",
    who,
    scope: "report",
    run: advisoryCommand({ name: "fork", plan: (inv, issue, a) => planFork(at(inv, issue), a, inv.sender) }),
  },
  {
    name: "publish",
    usage: "/publish",
    summary:
      "publish the advisory once it has a severity or CVSS vector; takes effect after another full member's `/approve` (`policy.publish.approvals`)",
    who,
    scope: "report",
    run: advisoryCommand({
      name: "publish",
      plan: (inv, issue, a) => planPublish(at(inv, issue), a, inv.sender),
      gate: publishGate,
    }),
  },
];
