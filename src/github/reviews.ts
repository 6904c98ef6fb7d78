/**
 * Pull request reviews and the one rule for which of them stand, as GitHub applies it: each
 * reviewer's latest approval or change request counts; a later comment does not undo it; a dismissal
 * removes it.
 */

/** Review states as GitHub sends them: lowercase in webhooks, uppercase in REST. */
export type ReviewState = "approved" | "changes_requested" | "commented" | "dismissed" | "pending";

export interface Review {
  id: number;
  login: string;
  state: ReviewState;
  body: string;
  /** The commit reviewed; approvals count only for it. */
  commitId: string | null;
}

/** A review from a webhook (lowercase state) or REST (uppercase state). */
export interface RawReview {
  id: number;
  user: { login: string } | null;
  state: string;
  body?: string | null;
  commit_id?: string | null;
}

export function normalizeState(state: string): ReviewState {
  const lower = state.toLowerCase();
  const known: ReviewState[] = ["approved", "changes_requested", "commented", "dismissed", "pending"];
  return known.find((s) => s === lower) ?? "commented";
}

/** Reviews in the order given; one by a deleted account (no user) is dropped: no one can be counted for it. */
export function toReviews(raws: RawReview[]): Review[] {
  return raws.flatMap((raw) =>
    raw.user
      ? [
          {
            id: raw.id,
            login: raw.user.login,
            state: normalizeState(raw.state),
            body: raw.body ?? "",
            commitId: raw.commit_id ?? null,
          },
        ]
      : [],
  );
}

/**
 * The review that counts for each reviewer: their latest approval, change request or dismissal, in
 * the order given (oldest first). Comments never override a decision, as on GitHub; a reviewer whose
 * latest decision was dismissed has no standing review.
 */
export function standingReviews(reviews: Review[]): Review[] {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (review.state === "commented" || review.state === "pending") continue;
    latest.set(review.login.toLowerCase(), review);
  }
  return [...latest.values()].filter((r) => r.state !== "dismissed");
}
