import { findMember, sameLogin } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { CharterRead } from "../charter/source.js";
import { type AppContext, type Handler, handler } from "../context.js";
import type { Action, RepoRef } from "../core/actions.js";
import { isSelf } from "../core/identity.js";
import { repositoryAdvisory } from "../github/advisories.js";
import { ownMarkers } from "../github/comments.js";
import { type Advisory, isOpenState, type Report } from "./advisory.js";
import { planCollaboration, planIntake } from "./intake.js";
import { planFollowAdvisory } from "./mirror.js";
import { planClaimRefusal, planOwnership } from "./ownership.js";
import {
  type IssueData,
  readIssueWithCharter,
  readReport,
  readTracker,
  type TrackingIssue,
  trackingIssue,
} from "./read.js";
import { planReportLabelRestored } from "./report-label.js";
import { isTrackerRepo, ownerKey } from "./tracking-markers.js";

/**
 * A private report arrived (`reported`) or an advisory was published: GitHub's only advisory
 * webhooks. Everything else about advisories is learnt by the poll (`poll.ts`).
 */
const advisoryIntake = handler({
  name: "reports.intake",
  events: ["repository_advisory.reported", "repository_advisory.published"],
  async run(ctx) {
    const charter = await charterOrSkip(ctx);
    if (!charter) return;
    const { repository } = ctx.payload;
    const report: Report = {
      advisory: ctx.payload.repository_advisory as unknown as Advisory,
      repo: { owner: repository.owner.login, repo: repository.name },
    };
    if (ctx.payload.action === "reported") {
      // The payload is the advisory as reported: a redelivered or late event acts on it as it is now.
      report.advisory = (await repositoryAdvisory(
        ctx,
        report.repo,
        report.advisory.ghsa_id,
      )) as unknown as Advisory;
      if (!isOpenState(report.advisory.state)) return; // published or closed meanwhile: nothing to track
    }
    // Labels are created (with their colours) by the sweep's poll; GitHub creates a missing one on
    // first use, so a webhook intake does not spend a request listing them.
    const tracker = await readTracker(ctx, charter, { withLabels: false });
    if (ctx.payload.action === "published") {
      if (!tracker.ok) return; // logged by readTracker; the sweep reports it
      const ghsa = report.advisory.ghsa_id.toUpperCase();
      const issue = tracker.issues.find((i) => i.ghsa.toUpperCase() === ghsa && i.state === "open");
      if (!issue) return;
      const milestones = issue.comments > 0 ? await ownMarkers(ctx, tracker.repo, issue.number) : [];
      await ctx.apply(planFollowAdvisory(charter, tracker.repo, issue, report.advisory, milestones).actions);
      return;
    }
    const actions: Action[] = tracker.ok
      ? planIntake(charter, tracker.repo, [report], tracker.issues)
      : planCollaboration(charter, [report]);
    await ctx.apply(actions);
  },
});

/**
 * A person added or removed the charter's `which` label on an issue of the tracker: the charter and
 * the issue as it is now (read in one round trip), and the issue as a tracking issue when it still is
 * one. Undefined when the event is not about that label on a tracking issue of the charter's tracker;
 * the payload is checked first, since most label events concern issues the app never wrote.
 */
async function labelOnTrackingIssue(
  ctx: AppContext<"issues.labeled" | "issues.unlabeled">,
  which: "claim" | "report",
): Promise<{ charter: Charter; tracker: RepoRef; tracked: TrackingIssue | undefined } | undefined> {
  const { label, issue, sender, repository } = ctx.payload;
  const self = await ctx.self();
  if (!label || isSelf(sender, self) || !trackingIssue(issue as unknown as IssueData, self)) return undefined;
  const tracker = { owner: repository.owner.login, repo: repository.name };
  const read = await readIssueWithCharter(ctx, tracker, issue.number);
  const charter = charterOf(ctx, read.charter);
  if (!charter || !sameLogin(label.name, charter.labels[which]) || !isTrackerRepo(charter, tracker)) {
    return undefined;
  }
  return { charter, tracker, tracked: (read.issue && trackingIssue(read.issue, self)) || undefined };
}

/**
 * Claim by label: a member who adds the claim label to a tracking issue becomes its single owner.
 * Anyone else's claim is undone with a comment saying why.
 */
const claimByLabel = handler({
  name: "reports.claim",
  events: ["issues.labeled"],
  async run(ctx) {
    const { label, issue, sender } = ctx.payload;
    // A redelivered or late `labeled` event: only a claim label still on the issue is a claim (or a
    // claim whose record failed to be written).
    const found = label && (await labelOnTrackingIssue(ctx, "claim"));
    if (!found) return;
    const { charter, tracker, tracked } = found;
    if (!tracked) {
      ctx.log.info(
        { issue: issue.number },
        "the claimed issue is gone or no longer the app's tracking issue",
      );
      return;
    }
    const labelled = tracked.labels.some((l) => sameLogin(l, label.name));
    if (!labelled && !(await unrecordedClaim(ctx, tracker, tracked, sender.login))) {
      ctx.log.info(
        { issue: issue.number },
        "claim label no longer on the issue: event already handled or outdated",
      );
      return;
    }

    const member = findMember(charter, sender.login);
    if (!member || sender.type === "Bot") {
      await ctx.apply(planClaimRefusal(tracker, issue.number, label.name, sender.login));
      return;
    }
    const report = await readReport(ctx, tracked);
    const plan = planOwnership({
      tracker,
      issue: tracked,
      report,
      owner: member.login,
      by: member.login,
      labels: tracked.labels.filter((l) => !sameLogin(l, label.name)),
    });
    const applied = await ctx.apply(plan.actions);
    // The record comes only after the claim took effect; a redelivery finishes a half-done claim.
    if (applied.some((r) => r.outcome === "failed")) return;
    await ctx.apply([
      {
        kind: "issue.comment",
        repo: tracker,
        number: issue.number,
        body: plan.comment,
        why: `@${member.login} claimed the report`,
      },
    ]);
  },
});

/**
 * Someone removed the report label from a tracking issue: it is put back (see report-label.ts). Acts
 * on the issue as it is now, so a redelivered or late event whose label is back again changes nothing.
 */
const reportLabelRemoved = handler({
  name: "reports.label-removed",
  events: ["issues.unlabeled"],
  async run(ctx) {
    const { issue, sender } = ctx.payload;
    const found = await labelOnTrackingIssue(ctx, "report");
    if (!found?.tracked) return;
    const { charter, tracker, tracked } = found;
    if (tracked.labels.some((l) => sameLogin(l, charter.labels.report))) return;
    await ctx.apply(planReportLabelRestored(charter, tracker, issue.number, sender.login));
  },
});

/**
 * A claim whose assignment went through but whose hand-off comment did not (the write failed and the
 * event is redelivered): the sender is the single owner, yet the app's latest `owner:` milestone is not theirs.
 */
async function unrecordedClaim(
  ctx: AppContext,
  tracker: RepoRef,
  issue: TrackingIssue,
  login: string,
): Promise<boolean> {
  if (issue.assignees.length !== 1 || !sameLogin(issue.assignees[0] ?? "", login)) return false;
  const owners = (await ownMarkers(ctx, tracker, issue.number)).filter((k) => k.startsWith(ownerKey("")));
  return owners.at(-1)?.toLowerCase() !== ownerKey(login);
}

async function charterOrSkip(ctx: AppContext): Promise<Charter | undefined> {
  return charterOf(ctx, await ctx.charter());
}

function charterOf(ctx: AppContext, read: CharterRead): Charter | undefined {
  if (read.ok) return read.charter;
  ctx.log.warn({ event: ctx.event }, "the charter is missing or invalid: reports are not handled");
  return undefined;
}

export const reportsHandlers: Handler[] = [advisoryIntake, claimByLabel, reportLabelRemoved];
