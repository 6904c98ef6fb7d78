import { sameAffiliation } from "../charter/affiliation.js";
import {
  daysBetween,
  findMember,
  fullMembers,
  isOnboarding,
  lapsedAtReaffirmation,
  sameLogin,
  termEnded,
} from "../charter/facts.js";
import type { ApprovalRule, Charter, Member } from "../charter/schema.js";

/**
 * The charter's own rules for changing its membership, as pure functions (policy-bot style): each
 * takes the BASE charter (who counts), the pull request's facts and `now`, and returns a verdict with
 * a reason a human can act on. Nothing here talks to GitHub.
 *
 * The PR author is never counted as an approval: GitHub does not let anyone approve their own pull
 * request, and opening one is a proposal, not a vote. Under `unanimous` the author is the one full
 * member whose approval is not required.
 */

export type Verdict = "pass" | "pending" | "fail";

export interface RuleResult {
  verdict: Verdict;
  /** One line for the plan table. */
  reason: string;
  /** What is still needed, one item per line ("needs 1 more approval from a full member"). */
  missing: string[];
}

/** Review states as GitHub sends them: lowercase in webhooks, uppercase in REST. */
export type ReviewState = "approved" | "changes_requested" | "commented" | "dismissed" | "pending";

export interface Review {
  id: number;
  login: string;
  state: ReviewState;
  body: string;
}

export interface PullFacts {
  author: string;
  body: string;
  /** Standing reviews: the latest decisive one per reviewer (see `standingReviews`). */
  reviews: Review[];
}

export type Nomination =
  | { number: number; found: true; createdAt: Date; title: string; body: string }
  | { number: number; found: false };

export function normalizeState(state: string): ReviewState {
  const lower = state.toLowerCase();
  const known: ReviewState[] = ["approved", "changes_requested", "commented", "dismissed", "pending"];
  return known.find((s) => s === lower) ?? "commented";
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

/** `COI:` in a review body discloses a conflict of interest. */
export function disclosesConflict(body: string): boolean {
  return /(^|\s)COI:/i.test(body);
}

function shareAffiliation(a: Member | undefined, b: Member | undefined): boolean {
  return sameAffiliation(a?.affiliation, b?.affiliation);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function verb(subjects: string[], one: string, many: string): string {
  return subjects.length === 1 ? one : many;
}

function logins(list: string[]): string {
  return list.map((l) => `@${l}`).join(", ");
}

/** How the standing reviews count for one change. */
interface Tally {
  /** Approvals from full members that count towards the threshold. */
  counted: string[];
  /** Full members who approved and disclosed a conflict: shown, not counted. */
  disclosed: string[];
  /** Full members who approved, share the nominee's affiliation and did not disclose it. */
  undisclosed: string[];
  /** Members whose approval does not count because they are onboarding. */
  onboarding: string[];
  /** Members (onboarding included) with a standing "changes requested". */
  objections: string[];
}

function tally(base: Charter, pull: PullFacts, now: Date, nominee?: Member): Tally {
  const t: Tally = { counted: [], disclosed: [], undisclosed: [], onboarding: [], objections: [] };
  for (const review of pull.reviews) {
    const member = findMember(base, review.login);
    if (!member) continue;
    if (review.state === "changes_requested") {
      t.objections.push(member.login);
      continue;
    }
    if (review.state !== "approved" || sameLogin(member.login, pull.author)) continue;
    if (isOnboarding(base, member, now)) t.onboarding.push(member.login);
    else if (shareAffiliation(member, nominee))
      (disclosesConflict(review.body) ? t.disclosed : t.undisclosed).push(member.login);
    else t.counted.push(member.login);
  }
  return t;
}

/** Notes on approvals that were seen but not counted, for the reason column. */
function uncounted(t: Tally, nominee?: Member): string[] {
  const notes: string[] = [];
  if (t.disclosed.length > 0)
    notes.push(`${logins(t.disclosed)} disclosed a conflict of interest (COI), not counted`);
  if (t.undisclosed.length > 0)
    notes.push(
      `${logins(t.undisclosed)} ${verb(t.undisclosed, "shares", "share")} the affiliation "${nominee?.affiliation}" and did not disclose it with \`COI:\`, not counted`,
    );
  if (t.onboarding.length > 0)
    notes.push(`${logins(t.onboarding)} ${verb(t.onboarding, "is", "are")} onboarding, not counted`);
  return notes;
}

interface Threshold {
  met: boolean;
  /** "full-member approvals: 2 (4 required, majority of 6 full members)" */
  progress: string;
  missing: string[];
}

/**
 * Whether the counted approvals meet `rule`. `electorate` is the full members who may vote on this
 * change; `recused` (disclosed conflicts) are not required under `unanimous`.
 */
function threshold(
  rule: ApprovalRule,
  minApprovals: number,
  electorate: Member[],
  counted: string[],
  author: string,
  recused: string[],
): Threshold {
  const approving = electorate.filter((m) => counted.some((c) => sameLogin(c, m.login)));
  if (rule === "unanimous") {
    const required = electorate.filter(
      (m) => !sameLogin(m.login, author) && !recused.some((r) => sameLogin(r, m.login)),
    );
    const waiting = required.filter((m) => !approving.includes(m)).map((m) => m.login);
    return {
      met: required.length > 0 && waiting.length === 0,
      progress: `${approving.length} of ${required.length} full members approved (unanimous)`,
      missing:
        required.length === 0
          ? ["no full member is able to approve"]
          : waiting.length > 0
            ? [`needs approval from ${logins(waiting)} (unanimous)`]
            : [],
    };
  }
  const need = rule === "majority" ? Math.floor(electorate.length / 2) + 1 : minApprovals;
  const short = need - approving.length;
  const label = rule === "majority" ? `majority of ${electorate.length} full members` : "consent";
  return {
    met: short <= 0,
    progress: `full-member approvals: ${approving.length} (${need} required, ${label})`,
    missing:
      short > 0
        ? [
            `needs ${short} more ${short === 1 ? "approval from a full member" : "approvals from full members"}`,
          ]
        : [],
  };
}

function result(verdict: Verdict, parts: string[], missing: string[]): RuleResult {
  return { verdict, reason: parts.filter(Boolean).join("; "), missing };
}

/** `Nomination: #123` or `Nomination: https://github.com/<org>/<repo>/issues/123`, in the PR body. */
export interface NominationLink {
  number: number;
  repo?: { owner: string; repo: string };
}

function sameLink(a: NominationLink, b: NominationLink): boolean {
  return (
    a.number === b.number &&
    a.repo?.owner.toLowerCase() === b.repo?.owner.toLowerCase() &&
    a.repo?.repo.toLowerCase() === b.repo?.repo.toLowerCase()
  );
}

export function nominationLinks(body: string): NominationLink[] {
  const links: NominationLink[] = [];
  const pattern =
    /^\s*Nomination:\s*(?:#(\d+)|https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9_.-]+)\/issues\/(\d+))/gim;
  for (const m of body.matchAll(pattern)) {
    const link: NominationLink = m[1]
      ? { number: Number(m[1]) }
      : { number: Number(m[4]), repo: { owner: m[2] ?? "", repo: m[3] ?? "" } };
    if (!links.some((l) => sameLink(l, link))) links.push(link);
  }
  return links;
}

/**
 * The nomination for `nominee` among the linked ones: the issue that mentions their login in its
 * title or body; when the PR adds a single person, the only linked nomination.
 */
export function nominationFor(
  nominee: string,
  nominations: Nomination[],
  additions: number,
): Nomination | undefined {
  const mentioning = new RegExp(`(^|[^A-Za-z0-9-])@?${nominee.replace(/-/g, "\\-")}($|[^A-Za-z0-9-])`, "i");
  const named = nominations.find((n) => n.found && mentioning.test(`${n.title}\n${n.body}`));
  if (named) return named;
  return additions === 1 && nominations.length === 1 ? nominations[0] : undefined;
}

/** Adding `nominee` (from the head charter): an old enough nomination plus the nomination rule. */
export function additionRule(
  base: Charter,
  nominee: Member,
  nomination: Nomination | undefined,
  pull: PullFacts,
  now: Date,
): RuleResult {
  const policy = base.policy.nomination;
  const missing: string[] = [];
  let nominationPart: string;
  if (!nomination) {
    nominationPart = "no nomination linked";
    missing.push(`link the nomination issue in the PR body: \`Nomination: #123\``);
  } else if (!nomination.found) {
    nominationPart = `nomination #${nomination.number} not found`;
    missing.push(`nomination #${nomination.number} was not found; link an existing issue`);
  } else {
    const age = daysBetween(nomination.createdAt, now);
    nominationPart = `nomination #${nomination.number} is ${plural(age, "day", "days")} old`;
    if (age < policy.window_days) {
      missing.push(
        `nomination #${nomination.number} is ${plural(age, "day", "days")} old; ${policy.window_days} required`,
      );
    }
  }
  const t = tally(base, pull, now, nominee);
  const electorate = fullMembers(base, now);
  const votes = threshold(policy.rule, policy.min_approvals, electorate, t.counted, pull.author, t.disclosed);
  missing.push(...votes.missing);
  const objections = policy.rule === "consent" ? t.objections : [];
  const parts = [nominationPart, votes.progress, ...uncounted(t, nominee)];
  if (objections.length > 0) {
    return result(
      "fail",
      [...parts, `changes requested by ${logins(objections)}`],
      [
        ...missing,
        `resolve the objection of ${logins(objections)} (consent: no standing "changes requested")`,
      ],
    );
  }
  return result(missing.length === 0 ? "pass" : "pending", parts, missing);
}

const CITATION = /^\s*(Steering-Council-Vote|Code-of-Conduct):\s*(https?:\/\/\S+)/im;

/**
 * Removing `member` (from the base charter): self-removal, a cited decision, a term end (`until` today or
 * earlier in the base charter), a lapse, or the removal rule.
 */
export function removalRule(base: Charter, member: Member, pull: PullFacts, now: Date): RuleResult {
  if (sameLogin(pull.author, member.login)) return result("pass", ["removes themselves (PR author)"], []);
  if (pull.reviews.some((r) => r.state === "approved" && sameLogin(r.login, member.login))) {
    return result("pass", ["approved their own removal"], []);
  }
  const citation = CITATION.exec(pull.body);
  if (citation) return result("pass", [`cites ${citation[1]}: ${citation[2]}`], []);
  if (termEnded(member, now)) return result("pass", [`term ended on ${member.until}`], []);
  if (lapsedAtReaffirmation(base, member, now)) {
    const last = member.reaffirmed ? `last reaffirmed ${member.reaffirmed}` : "never reaffirmed";
    return result("pass", [`lapsed at reaffirmation (${last})`], []);
  }
  const t = tally(base, pull, now);
  const electorate = fullMembers(base, now).filter((m) => !sameLogin(m.login, member.login));
  const votes = threshold(
    base.policy.removal.rule,
    base.policy.nomination.min_approvals,
    electorate,
    t.counted.filter((l) => !sameLogin(l, member.login)),
    pull.author,
    [],
  );
  const parts = [votes.progress, ...uncounted(t)];
  if (votes.met) return result("pass", parts, []);
  return result("pending", parts, [
    ...votes.missing,
    `or @${member.login} approves, or the PR body cites \`Steering-Council-Vote: <link>\` or \`Code-of-Conduct: <link>\``,
  ]);
}

/** Role changes and every other edit: one approval from a full member. */
export function editRule(base: Charter, pull: PullFacts, now: Date): RuleResult {
  const t = tally(base, pull, now);
  const votes = threshold("consent", 1, fullMembers(base, now), t.counted, pull.author, []);
  const parts = [
    votes.met ? `approved by ${logins(t.counted)}` : "no approval from a full member yet",
    ...uncounted(t),
  ];
  return result(votes.met ? "pass" : "pending", parts, votes.missing);
}
