import { findMember, isOnboarding } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { type AppContext, type Handler, handler } from "../context.js";
import type { RepoRef } from "../core/actions.js";
import { type Identity, isSelf } from "../core/identity.js";
import { markerValue } from "../core/markers.js";
import { ownCheckRuns } from "../github/check-runs.js";
import { issueComments } from "../github/comments.js";
import { pullRequest, pullReviews } from "../github/pulls.js";
import { toReviews } from "../github/reviews.js";
import { type IssueData, trackingIssue } from "../reports/read.js";
import { isTrackerRepo } from "../reports/tracking-markers.js";
import { planCloseSettled, planCloseSignoff } from "./closes.js";
import { pendingSignoffs, toCloseReason } from "./pending.js";
import { needsSignoffCheck, planSignoffCheck, SIGNOFF_CHECK } from "./pulls.js";

/**
 * A report closed by an onboarding member is reopened until a full member signs off (`/approve`).
 * A report closed by a full member settles any onboarding member's close still awaiting sign-off.
 */
const closeHandler = handler({
  name: "signoff-close",
  events: ["issues.closed"],
  async run(ctx) {
    const { issue, sender, repository } = ctx.payload;
    const self = await ctx.self();
    if (isSelf(sender, self)) return;
    const read = await ctx.charter();
    if (!read.ok) return;
    const charter = read.charter;
    const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
    if (!isTrackerRepo(charter, repo)) return;
    // A tracking issue is the app's by its marker, whatever its labels: removing the report label
    // before closing does not skip the sign-off.
    if (!trackingIssue(issue as unknown as IssueData, self)) return;
    const closer = findMember(charter, sender.login);
    if (!closer) return;
    if (!isOnboarding(charter, closer, ctx.now)) {
      await settlePendingClose(ctx, charter, repo, issue, closer.login, self);
      return;
    }
    // A repeated delivery: the sign-off request for this close is already written.
    const since = issue.closed_at ?? issue.updated_at;
    const later = await issueComments(ctx, repo, issue.number, { since, own: true });
    const handled = later.some(
      (c) => c.created_at >= since && markerValue(c.body, "signoff-close:") !== undefined,
    );
    if (handled) return;
    const owner = issue.assignee?.login ?? issue.assignees?.[0]?.login;
    await ctx.apply(
      planCloseSignoff(
        charter,
        {
          repo,
          number: issue.number,
          closer: closer.login,
          reason: toCloseReason(issue.state_reason),
          ...(owner ? { owner } : {}),
        },
        ctx.now,
      ),
    );
  },
});

/**
 * The record is written only once the label is gone, so a redelivery finishes a half-done settle.
 */
async function settlePendingClose(
  ctx: AppContext,
  charter: Charter,
  repo: RepoRef,
  issue: { number: number; labels?: { name: string }[] },
  closer: string,
  self: Identity,
): Promise<void> {
  // Without the label nothing awaits sign-off (the payload's labels are as of the close, also on a redelivery).
  if (!issue.labels?.some((l) => l.name === charter.labels.needs_signoff)) return;
  const comments = await issueComments(ctx, repo, issue.number);
  const plan = planCloseSettled(charter, {
    repo,
    number: issue.number,
    closer,
    pending: pendingSignoffs(comments, self),
  });
  if (!plan) return;
  const applied = await ctx.apply(plan.changes);
  if (applied.some((r) => r.outcome === "failed")) return;
  await ctx.apply([plan.record]);
}

interface PullLike {
  number: number;
  user: { login: string } | null;
  head: { sha: string };
}

/** The `sign-off` check on pull requests in the tracker and advisory forks, recomputed on every change. */
const pullHandler = handler({
  name: "signoff-check",
  events: [
    "pull_request.opened",
    "pull_request.synchronize",
    "pull_request.reopened",
    "pull_request_review.submitted",
    "pull_request_review.edited",
    "pull_request_review.dismissed",
  ],
  async run(ctx: AppContext<"pull_request" | "pull_request_review">) {
    const { repository, pull_request } = ctx.payload;
    if (!mayNeedSignoff(ctx, repository)) return;
    await recompute(ctx, { owner: repository.owner.login, repo: repository.name }, [pull_request]);
  },
});

/** "Re-run" on the check: only GitHub sends this, and only for runs this app owns. */
const rerequestHandler = handler({
  name: "signoff-check-rerun",
  events: ["check_run.rerequested"],
  async run(ctx) {
    const { repository, check_run } = ctx.payload;
    if (check_run.name !== SIGNOFF_CHECK || !mayNeedSignoff(ctx, repository)) return;
    await recomputeListed(ctx, repository, check_run.pull_requests);
  },
});

/** "Re-run all checks": sent only to the app that owns the suite; here its one check is `sign-off`. */
const suiteRerequestHandler = handler({
  name: "signoff-check-suite-rerun",
  events: ["check_suite.rerequested"],
  async run(ctx) {
    const { repository, check_suite } = ctx.payload;
    if (!mayNeedSignoff(ctx, repository)) return;
    await recomputeListed(ctx, repository, check_suite.pull_requests);
  },
});

async function recomputeListed(
  ctx: AppContext,
  repository: { name: string; owner: { login: string } },
  listed: { number: number }[],
): Promise<void> {
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const pulls = await Promise.all(listed.map((p) => pullRequest(ctx, repo, p.number)));
  await recompute(ctx, repo, pulls);
}

/**
 * Saves a charter read on most pull requests in the org: the tracker and advisory forks are private,
 * and the charter repository's pull requests get the `charter` check instead.
 */
function mayNeedSignoff(ctx: AppContext, repository: { name: string; private: boolean }): boolean {
  return repository.private && repository.name.toLowerCase() !== ctx.where.repo.toLowerCase();
}

async function recompute(ctx: AppContext, repo: RepoRef, pulls: PullLike[]): Promise<void> {
  const read = await ctx.charter();
  if (!read.ok) return;
  const charter = read.charter;
  if (!needsSignoffCheck(charter, repo)) return;
  for (const pull of pulls) {
    if (!pull.user) continue;
    const reviews = await pullReviews(ctx, repo, pull.number);
    const existingRun = await ownRun(ctx, repo, pull.head.sha);
    const actions = planSignoffCheck(
      charter,
      {
        repo,
        author: pull.user.login,
        headSha: pull.head.sha,
        reviews: toReviews(reviews),
        ...(existingRun ? { existingRun } : {}),
      },
      ctx.now,
    );
    await ctx.apply(actions);
  }
}

async function ownRun(ctx: AppContext, repo: RepoRef, sha: string) {
  const [run] = await ownCheckRuns(ctx, repo, sha, SIGNOFF_CHECK);
  return run
    ? {
        id: run.id,
        conclusion: run.conclusion,
        title: run.output.title,
        summary: run.output.summary,
      }
    : undefined;
}

export const signoffHandlers: Handler[] = [
  closeHandler,
  pullHandler,
  rerequestHandler,
  suiteRerequestHandler,
];
