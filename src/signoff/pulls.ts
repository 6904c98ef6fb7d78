import { findMember, isFullMember, isOnboarding, sameLogin } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import { type CheckVerdict, type ExistingCheckRun, planCheckRun } from "../core/checks.js";
import { type Review, standingReviews } from "../github/reviews.js";
import { isTrackerRepo } from "../reports/tracking-markers.js";

export const SIGNOFF_CHECK = "sign-off";

/** A repository advisory's temporary private fork: `<repo>-ghsa-xxxx-xxxx-xxxx` in the org. */
const ADVISORY_FORK = /-ghsa(?:-[a-z0-9]{4}){3}$/i;

/** Pull requests in these repositories get the `sign-off` check: the tracker and advisory forks. */
export function needsSignoffCheck(charter: Charter, repo: RepoRef): boolean {
  return (
    isTrackerRepo(charter, repo) || (sameLogin(repo.owner, charter.org) && ADVISORY_FORK.test(repo.repo))
  );
}

export interface PullSnapshot {
  repo: RepoRef;
  author: string;
  headSha: string;
  /** In submission order. */
  reviews: Review[];
  /** This app's `sign-off` run on the head commit, if there is one. */
  existingRun?: ExistingCheckRun;
}

/**
 * Full members' PRs pass at once: the check must exist on every PR for branch protection to be able
 * to require it. Everyone else (onboarding members, and outside helpers pushing to an advisory fork)
 * needs an approving review from a full member on the current head commit.
 */
export function signoffVerdict(charter: Charter, pull: PullSnapshot, now: Date): CheckVerdict {
  const author = findMember(charter, pull.author);
  if (author && !isOnboarding(charter, author, now)) {
    return {
      conclusion: "success",
      output: {
        title: "No sign-off needed",
        summary: `@${author.login} is a full member of the security team; their pull requests need no sign-off.`,
      },
    };
  }
  const who = author
    ? `@${author.login} is still onboarding`
    : `@${pull.author} is not a member of the security team`;
  const standing = standingReviews(pull.reviews).filter(
    (r) => r.state === "approved" && !sameLogin(r.login, pull.author) && isFullMember(charter, r.login, now),
  );
  const current = standing.filter((r) => r.commitId === pull.headSha);
  if (current.length > 0) {
    return {
      conclusion: "success",
      output: {
        title: `Signed off by ${current.map((r) => `@${r.login}`).join(", ")}`,
        summary: `${who}; a full member approved the current head (${pull.headSha.slice(0, 7)}).`,
      },
    };
  }
  const stale = standing.map(
    (r) => `@${r.login} approved an older commit (${(r.commitId ?? "").slice(0, 7)})`,
  );
  return {
    conclusion: "failure",
    output: {
      title: "Needs a full member's approval",
      summary: [
        `${who}, so a full member of the security team must approve the current head (${pull.headSha.slice(0, 7)}) before this can merge.`,
        ...(stale.length > 0
          ? ["", `${stale.join("; ")}: approvals count only for the commit they reviewed.`]
          : []),
      ].join("\n"),
    },
  };
}

/** One run per head commit: created once, updated only when the verdict changes. */
export function planSignoffCheck(charter: Charter, pull: PullSnapshot, now: Date): Action[] {
  return planCheckRun({
    repo: pull.repo,
    name: SIGNOFF_CHECK,
    headSha: pull.headSha,
    existingRun: pull.existingRun,
    verdict: signoffVerdict(charter, pull, now),
    why: `sign-off for a pull request by @${pull.author}`,
  });
}
