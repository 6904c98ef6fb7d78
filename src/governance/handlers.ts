import { sameLogin } from "../charter/facts.js";
import { pushTouchesCharter } from "../charter/source.js";
import { type AppContext, type Handler, handler } from "../context.js";
import type { RepoRef } from "../core/actions.js";
import type { ExistingCheckRun } from "../core/checks.js";
import { issueKey } from "../core/serialize.js";
import { ownCheckRuns } from "../github/check-runs.js";
import { openPullHeads, openPullsInto, pullRequest, pullReviews } from "../github/pulls.js";
import { type RawReview, type Review, standingReviews, toReviews } from "../github/reviews.js";
import { CHECK_NAME, MAX_REJUDGED, planCharterCheck, planUnchangedCharterCheck } from "./check.js";
import { parseNominationLinks } from "./pull-body.js";
import { lastValidCharter, readCharterPull, readNominations } from "./read.js";

/**
 * The `charter` check on pull requests into the charter repository's default branch. One GraphQL
 * request tells whether a pull request touches the charter file (and brings the charter at the default
 * branch's tip and at the head: both from the BASE repo, so a fork's head is only ever parsed as YAML).
 * One that does not gets a passing run ("No change to the charter"), so the check can be required;
 * for one that does, the reviews, the open pull requests at the same head, the linked nominations and
 * the existing run are read, and one check run is created or updated. A push that changes the charter
 * on the default branch judges every open pull request into it again (at most `MAX_REJUDGED`).
 */

const MAX_NOMINATIONS = 10;

/** The parts of a pull request the check uses (webhook and REST shapes agree on these). */
interface PullRef {
  number: number;
  state: string;
  body?: string | null;
  created_at: string;
  user: { login: string } | null;
  head: { sha: string };
  base: { sha: string; ref: string };
}

function isCharterRepo(ctx: AppContext, repository: { name: string; owner: { login: string } }): boolean {
  return (
    sameLogin(repository.owner.login, ctx.where.org) &&
    repository.name.toLowerCase() === ctx.where.repo.toLowerCase()
  );
}

/**
 * All reviews via REST, oldest first. The webhook's own review replaces its REST copy in place (the
 * list may lag behind the event) unless REST has it dismissed: dismissal is final, so a late
 * `submitted` must not revive it. It comes last when the list does not have it yet. Also returns the
 * approvals given on an older head: a push after an approval could change who is added.
 */
async function readReviews(
  ctx: AppContext,
  repo: RepoRef,
  number: number,
  headSha: string,
  fresh?: RawReview,
): Promise<{ reviews: Review[]; staleApprovals: Set<number> }> {
  const rest = await pullReviews(ctx, repo, number);
  const raws: RawReview[] = rest.map((r) =>
    r.id === fresh?.id && r.state.toUpperCase() !== "DISMISSED" ? fresh : r,
  );
  if (fresh && !rest.some((r) => r.id === fresh.id)) raws.push(fresh);
  const staleApprovals = new Set(
    raws.filter((r) => r.state.toLowerCase() === "approved" && r.commit_id !== headSha).map((r) => r.id),
  );
  return { reviews: toReviews(raws), staleApprovals };
}

async function existingRun(
  ctx: AppContext,
  repo: RepoRef,
  sha: string,
): Promise<ExistingCheckRun | undefined> {
  const [ours] = await ownCheckRuns(ctx, repo, sha, CHECK_NAME);
  return ours
    ? { id: ours.id, conclusion: ours.conclusion, title: ours.output.title, summary: ours.output.summary }
    : undefined;
}

async function runCheck(
  ctx: AppContext,
  repo: RepoRef,
  pull: PullRef,
  options: { freshReview?: RawReview; atHead?: (sha: string) => Promise<number[]> } = {},
): Promise<void> {
  const { freshReview, atHead = openPullHeads(ctx, repo) } = options;
  if (pull.state !== "open") return;
  const read = await readCharterPull(ctx.octokit, ctx.where, ctx.now, {
    headSha: pull.head.sha,
    baseSha: pull.base.sha,
  });
  // Only a pull request into the default branch gets a verdict: the charter there is the one applied.
  if (!read || pull.base.ref !== read.defaultBranch) return;
  if (!read.touches) {
    const [existing, pullsAtHead] = await Promise.all([
      existingRun(ctx, repo, pull.head.sha),
      atHead(pull.head.sha),
    ]);
    await ctx.apply(
      planUnchangedCharterCheck({
        repo,
        path: ctx.where.path,
        headSha: pull.head.sha,
        existingRun: existing,
        pullNumber: pull.number,
        pullsAtHead,
      }),
    );
    return;
  }
  const [base, head, reviews, existing, pullsAtHead] = await Promise.all([
    read.tip(),
    read.head(),
    readReviews(ctx, repo, pull.number, pull.head.sha, freshReview),
    existingRun(ctx, repo, pull.head.sha),
    // Any base: a check run on that commit would stand for each.
    atHead(pull.head.sha),
  ]);
  const lastValid = !base.ok && head.ok ? await lastValidCharter(ctx.octokit, ctx.where, ctx.now) : undefined;
  const judgeBy = base.ok ? base.charter : lastValid?.charter;
  const body = pull.body ?? "";
  // Nominations matter only when there is a charter to judge by and the head loads. At most
  // MAX_NOMINATIONS are read, so a PR body cannot make the app spend its rate limit.
  const links = judgeBy && head.ok ? parseNominationLinks(body).slice(0, MAX_NOMINATIONS) : [];
  const nominations = judgeBy ? await readNominations(ctx.octokit, repo, judgeBy, links) : [];
  const actions = planCharterCheck({
    repo,
    path: ctx.where.path,
    headSha: pull.head.sha,
    existingRun: existing,
    base,
    lastValid,
    head,
    pull: {
      author: pull.user?.login ?? "",
      body,
      // A standing approval counts only on the current head; a standing objection stands until withdrawn.
      reviews: standingReviews(reviews.reviews).filter((r) => !reviews.staleApprovals.has(r.id)),
      openedAt: new Date(pull.created_at),
    },
    nominations,
    pullNumber: pull.number,
    pullsAtHead,
    now: ctx.now,
  });
  await ctx.apply(actions);
}

function repoOf(repository: { name: string; owner: { login: string } }): RepoRef {
  return { owner: repository.owner.login, repo: repository.name };
}

const onPullRequest = handler({
  name: "governance.pullRequest",
  events: ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.edited"],
  async run(ctx) {
    const { repository, pull_request } = ctx.payload;
    if (!isCharterRepo(ctx, repository)) return;
    await runCheck(ctx, repoOf(repository), pull_request);
  },
});

const onReview = handler({
  name: "governance.review",
  events: ["pull_request_review.submitted", "pull_request_review.edited", "pull_request_review.dismissed"],
  async run(ctx) {
    const { repository, pull_request, review } = ctx.payload;
    if (!isCharterRepo(ctx, repository)) return;
    await runCheck(ctx, repoOf(repository), pull_request, { freshReview: review });
  },
});

/**
 * The open pull requests whose head is `headSha`: those GitHub lists on the run or suite, else found
 * among the open pull requests (a fork's pull request is never listed).
 */
/**
 * Judges again the open pull requests whose head is `headSha`: those GitHub lists on the run or suite,
 * else found among the open pull requests (a fork's pull request is never listed), listed once.
 */
async function rerun(ctx: AppContext, repo: RepoRef, headSha: string, listed: { number: number }[]) {
  const atHead = openPullHeads(ctx, repo);
  const numbers = listed.length > 0 ? listed.map((p) => p.number) : await atHead(headSha);
  for (const number of numbers) {
    await runCheck(ctx, repo, await pullRequest(ctx, repo, number), { atHead });
  }
}

/** "Re-run" on the `charter` run. */
const onRerequest = handler({
  name: "governance.rerequest",
  events: ["check_run.rerequested"],
  async run(ctx) {
    const { repository, check_run } = ctx.payload;
    if (check_run.name !== CHECK_NAME || !isCharterRepo(ctx, repository)) return;
    await rerun(ctx, repoOf(repository), check_run.head_sha, check_run.pull_requests);
  },
});

/** "Re-run all checks": GitHub sends it only to the app that owns the suite, so it is this app's. */
const onSuiteRerequest = handler({
  name: "governance.suiteRerequest",
  events: ["check_suite.rerequested"],
  async run(ctx) {
    const { repository, check_suite } = ctx.payload;
    if (!isCharterRepo(ctx, repository)) return;
    await rerun(ctx, repoOf(repository), check_suite.head_sha, check_suite.pull_requests);
  },
});

/**
 * A closed pull request may have shared its head with another: the one left open is judged again, so
 * a duplicate opened to fail it ("close one of #B, #C") stops mattering once it is closed.
 */
const onClosed = handler({
  name: "governance.closed",
  events: ["pull_request.closed"],
  async run(ctx) {
    const { repository, pull_request } = ctx.payload;
    if (!isCharterRepo(ctx, repository)) return;
    await rerun(ctx, repoOf(repository), pull_request.head.sha, []);
  },
});

/**
 * A push that changes the charter on the default branch changes what merging each open pull request
 * into it would do, and no pull request event says so: a run computed against the old tip ("No change
 * to the charter" for a head that kept a line the push removed) would let the old head merge. Each is
 * judged again against the new tip, under the lock its own events take, one after another.
 */
const onCharterPush = handler({
  name: "governance.charterPush",
  events: ["push"],
  async run(ctx) {
    const push = ctx.payload;
    const installation = push.installation?.id;
    if (!pushTouchesCharter(push, ctx.where) || installation === undefined) return;
    const repo = { owner: push.repository.owner?.login ?? ctx.where.org, repo: push.repository.name };
    const branch = push.repository.default_branch;
    const { pulls, more } = await openPullsInto(ctx, repo, branch, MAX_REJUDGED);
    if (more) {
      ctx.log.warn(
        { handler: "governance.charterPush", repo: `${repo.owner}/${repo.repo}`, branch },
        `more than ${MAX_REJUDGED} open pull requests into ${branch}: the ${MAX_REJUDGED} most recently updated are judged again, the others at their next event`,
      );
    }
    const atHead = openPullHeads(ctx, repo);
    let failed = 0;
    for (const pull of pulls) {
      // A head pushed as the tip itself is merged by that push: nothing left to judge.
      if (pull.head.sha === push.after) continue;
      // A pull request that moved on since the list was read was judged by its own event, against the same tip.
      try {
        await ctx.locks.run(issueKey(installation, repo, pull.number), () =>
          runCheck(ctx, repo, pull, { atHead }),
        );
      } catch (error) {
        failed++;
        ctx.log.warn(
          {
            handler: "governance.charterPush",
            pull: pull.number,
            error: String((error as Error)?.message).split("\n")[0],
          },
          "could not judge a pull request again",
        );
      }
    }
    if (failed > 0)
      throw new Error(`${failed} pull request(s) not judged again; redeliver this event to finish`);
  },
});

export const governanceHandlers: Handler[] = [
  onPullRequest,
  onReview,
  onRerequest,
  onSuiteRerequest,
  onClosed,
  onCharterPush,
];
