import { findMember, isChair, mention, sameLogin, triagers } from "../charter/facts.js";
import { loginArg } from "../commands/parse.js";
import type { CommandInvocation, CommandOutcome, CommandSpec } from "../commands/types.js";
import { marker } from "../core/markers.js";
import { ownMarkers } from "../github/comments.js";
import { mayReassign, planOwnership } from "./ownership.js";
import { readReport, type TrackingIssue, trackingIssue } from "./read.js";
import { ACK_KEY } from "./tracking-markers.js";

/** Runs `run` only in a tracking issue the app opened; elsewhere in the tracker, says so. */
function inTrackingIssue(
  name: string,
  run: (inv: CommandInvocation, issue: TrackingIssue) => Promise<CommandOutcome>,
): (inv: CommandInvocation) => Promise<CommandOutcome> {
  return async (inv) => {
    const issue = trackingIssue(inv.issue, await inv.ctx.self());
    if (!issue)
      return { reply: `\`/${name}\` works only in a tracking issue the app opened for an advisory.` };
    return run(inv, issue);
  };
}

async function takeOwnership(
  inv: CommandInvocation,
  issue: TrackingIssue,
  owner: string,
): Promise<CommandOutcome> {
  const report = await readReport(inv.ctx, issue);
  const plan = planOwnership({ tracker: inv.repo, issue, report, owner, by: inv.sender });
  return { reply: plan.comment, actions: plan.actions };
}

function isChairLogin(inv: CommandInvocation, login: string): boolean {
  const member = findMember(inv.charter, login);
  return member !== undefined && isChair(member);
}

export const reportsCommands: CommandSpec[] = [
  {
    name: "claim",
    usage: "/claim",
    summary: "take ownership of this report (same as adding the claim label)",
    who: "member",
    scope: "report",
    run: inTrackingIssue("claim", (inv, issue) => takeOwnership(inv, issue, inv.sender)),
  },
  {
    name: "release",
    usage: "/release",
    summary: "give up ownership; the report has no owner until someone claims it",
    who: "member",
    scope: "report",
    run: inTrackingIssue("release", async (inv, issue) => {
      if (issue.assignees.length === 0) return { reply: "This report has no owner to release." };
      if (!mayReassign(issue, inv.sender, isChairLogin(inv, inv.sender))) {
        return {
          reply: `@${inv.sender}: refused. Only the owner (${mention(issue.assignees)}) or a chair can release this report.`,
        };
      }
      return {
        reply: `${mention(issue.assignees)} no longer owns this report (released by @${inv.sender}). ${mention(
          triagers(inv.charter).map((m) => m.login),
        )}: it needs an owner; \`/claim\` it or add the \`${inv.charter.labels.claim}\` label.`,
        actions: [
          {
            kind: "issue.setAssignees",
            repo: inv.repo,
            number: issue.number,
            assignees: [],
            previous: issue.assignees,
            why: `released by @${inv.sender}`,
          },
        ],
      };
    }),
  },
  {
    name: "handoff",
    usage: "/handoff @login",
    summary: "make another member the owner",
    who: "member",
    scope: "report",
    run: inTrackingIssue("handoff", async (inv, issue) => {
      const login = loginArg(inv.args[0]);
      if (!login) return { reply: `@${inv.sender}: usage: \`/handoff @login\`.` };
      const target = findMember(inv.charter, login);
      if (!target) {
        return {
          reply: `@${inv.sender}: refused. @${login} is not a member of the security team listed in the charter; only members can own a report.`,
        };
      }
      // Already the single owner: nothing changes hands, and a redelivered hand-off whose assignment
      // went through (its record did not) finishes the record.
      const done = issue.assignees.length === 1 && sameLogin(issue.assignees[0] as string, target.login);
      if (!done && !mayReassign(issue, inv.sender, isChairLogin(inv, inv.sender))) {
        return {
          reply: `@${inv.sender}: refused. Only the owner (${mention(issue.assignees)}) or a chair can hand this report off.`,
        };
      }
      return takeOwnership(inv, issue, target.login);
    }),
  },
  {
    name: "ack",
    usage: "/ack",
    summary: "acknowledge the report (claiming it does this too)",
    who: "member",
    scope: "report",
    run: inTrackingIssue("ack", async (inv, issue) => {
      const milestones = await ownMarkers(inv.ctx, inv.repo, issue.number);
      if (milestones.includes(ACK_KEY)) return { reply: "This report was already acknowledged." };
      return { reply: `Acknowledged by @${inv.sender}.\n\n${marker(ACK_KEY)}` };
    }),
  },
];
