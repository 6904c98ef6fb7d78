import { normaliseAffiliation, sameAffiliation } from "../charter/affiliation.js";
import {
  chairs,
  daysBetween,
  findMember,
  fullMembers,
  isChair,
  isOnboarding,
  lapsedAtReaffirmation,
  sameLogin,
  termEnded,
} from "../charter/facts.js";
import type { ApprovalRule, Charter, Member } from "../charter/schema.js";
import type { Review } from "../github/reviews.js";
import { disclosesConflict, parseRemovalCitations, type RemovalCitation } from "./pull-body.js";

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

export interface PullFacts {
  author: string;
  body: string;
  /** Standing reviews: the latest decisive one per reviewer (see `standingReviews` in `github/reviews`). */
  reviews: Review[];
  /** When the pull request was opened: a new member who `joined` before it skips onboarding. */
  openedAt: Date;
}

/** A nomination issue as read from GitHub (only ever from an allowed, public repository). */
export interface NominationIssue {
  isPullRequest: boolean;
  author: string;
  createdAt: Date;
  state: "open" | "closed";
  stateReason: string | null;
  title: string;
  body: string;
}

/**
 * A `Nomination:` link and what the check could make of it. `ref` is how the PR wrote it (`#12`,
 * `django/django#5`). A link outside the allowed repositories is never read, so its words cannot
 * depend on anything behind it.
 */
export type Nomination =
  | { ref: string; found: true; issue: NominationIssue }
  | { ref: string; found: false; why: "malformed" | "not-allowed" | "not-found" };

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
  /** Chairs among `counted`. */
  chairs: string[];
}

function tally(base: Charter, pull: PullFacts, now: Date, nominee?: Member): Tally {
  const t: Tally = {
    counted: [],
    disclosed: [],
    undisclosed: [],
    onboarding: [],
    objections: [],
    chairs: [],
  };
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
    else {
      t.counted.push(member.login);
      if (isChair(member)) t.chairs.push(member.login);
    }
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

/** `@login` in a nomination's title or body, not part of a longer login. */
function namesLogin(text: string, login: string): boolean {
  const lower = text.toLowerCase();
  const needle = `@${login.toLowerCase()}`;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
    const after = lower[at + needle.length] ?? "";
    if (!/[a-z0-9-]/.test(after)) return true;
  }
  return false;
}

/** Why a linked issue that names the nominee is not a nomination, or undefined when it is one. */
function notANomination(base: Charter, nominee: Member, issue: NominationIssue): string | undefined {
  if (issue.isPullRequest) return "is a pull request, not an issue";
  if (sameLogin(issue.author, nominee.login)) return "was opened by the nominee";
  if (!findMember(base, issue.author)) return `was opened by @${issue.author}, who is not a team member`;
  if (issue.state === "closed" && issue.stateReason !== "completed")
    return `was closed as ${(issue.stateReason ?? "not planned").replace(/_/g, " ")}`;
  return undefined;
}

const WHY_UNREAD: Record<Extract<Nomination, { found: false }>["why"], string> = {
  malformed:
    "is not an issue link; write `Nomination: #123` or `Nomination: https://github.com/<org>/<repo>/issues/123`",
  "not-allowed": "is not in an allowed nomination repository",
  "not-found": "was not found",
};

type NominationFinding =
  | { ok: true; ref: string; createdAt: Date }
  | { ok: false; none: boolean; problems: string[] };

/**
 * The nomination for `nominee` among the linked ones: an issue (not a pull request) that names
 * `@nominee`, opened by a team member other than the nominee, open or closed as completed; the
 * oldest when there are several. Otherwise, every reason the links do not qualify.
 */
export function findNomination(base: Charter, nominee: Member, nominations: Nomination[]): NominationFinding {
  if (nominations.length === 0) return { ok: false, none: true, problems: [] };
  const problems: string[] = [];
  let best: { ref: string; createdAt: Date } | undefined;
  for (const n of nominations) {
    if (!n.found) {
      problems.push(`nomination ${n.ref} ${WHY_UNREAD[n.why]}`);
      continue;
    }
    if (!namesLogin(`${n.issue.title}\n${n.issue.body}`, nominee.login)) {
      problems.push(`nomination ${n.ref} does not name @${nominee.login}`);
      continue;
    }
    const why = notANomination(base, nominee, n.issue);
    if (why) problems.push(`nomination ${n.ref} ${why}`);
    else if (!best || n.issue.createdAt < best.createdAt) best = { ref: n.ref, createdAt: n.issue.createdAt };
  }
  return best ? { ok: true, ...best } : { ok: false, none: false, problems };
}

/** How a new member's onboarding compares with the charter's: in full, shortened, or skipped. */
export type JoiningOnboarding = "onboarding" | "shortened" | "full member";

/**
 * A new member `onboarding: false`, or who `joined` before the pull request was opened, skips
 * (part of) onboarding.
 */
export function joiningOnboarding(
  base: Charter,
  member: Member,
  openedAt: Date,
  now: Date,
): JoiningOnboarding {
  if (!isOnboarding(base, member, now)) return "full member";
  const openedDay = openedAt.toISOString().slice(0, 10);
  return member.joined < openedDay ? "shortened" : "onboarding";
}

/** A chair's approval, needed besides the change's own rule. */
function chairApproval(
  base: Charter,
  t: Tally,
  why: string,
): { met: boolean; part: string; missing: string[] } {
  if (t.chairs.length > 0)
    return { met: true, part: `${why}: approved by chair ${logins(t.chairs)}`, missing: [] };
  const names = logins(chairs(base).map((m) => m.login));
  return {
    met: false,
    part: `${why}: needs a chair's approval`,
    missing: [`${why}: needs approval from a chair (${names})`],
  };
}

/**
 * Adding `nominee` (from the head charter): an affiliation, an old enough nomination, the
 * nomination rule, and a chair's approval when they skip onboarding.
 */
export function additionRule(
  base: Charter,
  nominee: Member,
  nominations: Nomination[],
  pull: PullFacts,
  now: Date,
): RuleResult {
  const policy = base.policy.nomination;
  const missing: string[] = [];
  const blockers: string[] = [];
  if (normaliseAffiliation(nominee.affiliation) === "") {
    blockers.push("no affiliation");
    missing.push("add `affiliation:` for the nominee: the conflict-of-interest rule compares it");
  }
  const found = findNomination(base, nominee, nominations);
  let nominationPart: string;
  if (found.ok) {
    const age = daysBetween(found.createdAt, now);
    nominationPart = `nomination ${found.ref} is ${plural(age, "day", "days")} old`;
    if (age < policy.window_days) {
      missing.push(
        `nomination ${found.ref} is ${plural(age, "day", "days")} old; ${policy.window_days} required`,
      );
    }
  } else if (found.none) {
    nominationPart = "no nomination linked";
    missing.push("link the nomination issue in the PR body: `Nomination: #123`");
  } else {
    nominationPart = found.problems.join("; ");
    blockers.push("no valid nomination");
    missing.push(
      `link a nomination: an issue naming @${nominee.login}, opened by another team member, in the charter repository or \`policy.nomination.repos\``,
    );
  }
  const t = tally(base, pull, now, nominee);
  const electorate = fullMembers(base, now);
  const votes = threshold(policy.rule, policy.min_approvals, electorate, t.counted, pull.author, t.disclosed);
  missing.push(...votes.missing);
  const parts = [
    ...(blockers.includes("no affiliation") ? ["no affiliation"] : []),
    nominationPart,
    votes.progress,
    ...uncounted(t, nominee),
  ];
  const joining = joiningOnboarding(base, nominee, pull.openedAt, now);
  if (joining !== "onboarding") {
    const chair = chairApproval(
      base,
      t,
      joining === "full member" ? "joins as a full member" : "onboarding shortened",
    );
    parts.push(chair.part);
    missing.push(...chair.missing);
  }
  const objections = policy.rule === "consent" ? t.objections : [];
  if (objections.length > 0) {
    parts.push(`changes requested by ${logins(objections)}`);
    missing.push(`resolve the objection of ${logins(objections)} (consent: no standing "changes requested")`);
    blockers.push("objection");
  }
  if (blockers.length > 0) return result("fail", parts, missing);
  return result(missing.length === 0 ? "pass" : "pending", parts, missing);
}

/** How a removal citation link may look: under one of `policy.removal.citations`, when set. */
function citationAllowed(base: Charter, citation: RemovalCitation): boolean {
  const prefixes = base.policy.removal.citations;
  return prefixes.length === 0 || prefixes.some((prefix) => citation.link.startsWith(prefix));
}

/** A link shown in a table cell: as code, so it renders as text whatever it holds. */
function shownLink(link: string): string {
  return `\`${link.replace(/`/g, "%60")}\``;
}

/**
 * Removing `member` (from the base charter): self-removal, a cited decision vouched for by a full
 * member, a term end (`until` today or earlier in the base charter), a lapse, or the removal rule.
 */
export function removalRule(base: Charter, member: Member, pull: PullFacts, now: Date): RuleResult {
  if (sameLogin(pull.author, member.login)) return result("pass", ["removes themselves (PR author)"], []);
  if (pull.reviews.some((r) => r.state === "approved" && sameLogin(r.login, member.login))) {
    return result("pass", ["approved their own removal"], []);
  }
  const t = tally(base, pull, now);
  const vouchers = t.counted.filter((l) => !sameLogin(l, member.login));
  const citations = parseRemovalCitations(pull.body);
  const allowed = citations.find((c) => citationAllowed(base, c));
  const citationParts: string[] = [];
  const citationMissing: string[] = [];
  if (allowed) {
    const cites = `cites ${allowed.kind}: ${shownLink(allowed.link)}`;
    if (vouchers.length > 0) return result("pass", [`${cites}, vouched for by ${logins(vouchers)}`], []);
    citationParts.push(`${cites}, not yet vouched for`);
    citationMissing.push("a full member approves to vouch for the citation");
  } else if (citations.length > 0) {
    const first = citations[0] as RemovalCitation;
    citationParts.push(
      `cites ${first.kind}: ${shownLink(first.link)}, not under \`policy.removal.citations\``,
    );
  }
  if (termEnded(member, now)) return result("pass", [`term ended on ${member.until}`], []);
  if (lapsedAtReaffirmation(base, member, now)) {
    const last = member.reaffirmed ? `last reaffirmed ${member.reaffirmed}` : "never reaffirmed";
    return result("pass", [`lapsed at reaffirmation (${last})`], []);
  }
  const electorate = fullMembers(base, now).filter((m) => !sameLogin(m.login, member.login));
  const votes = threshold(
    base.policy.removal.rule,
    base.policy.nomination.min_approvals,
    electorate,
    vouchers,
    pull.author,
    [],
  );
  const parts = [...citationParts, votes.progress, ...uncounted(t)];
  if (votes.met) return result("pass", parts, []);
  if (citationMissing.length > 0) return result("pending", parts, citationMissing);
  return result("pending", parts, [
    ...votes.missing,
    `or @${member.login} approves, or the PR body cites \`Steering-Council-Vote: <link>\` or \`Code-of-Conduct: <link>\` and a full member approves`,
  ]);
}

/**
 * Role changes and every other edit: one approval from a full member; an edit that ends someone's
 * onboarding early also needs a chair.
 */
export function editRule(base: Charter, pull: PullFacts, now: Date, endsOnboarding = false): RuleResult {
  const t = tally(base, pull, now);
  const votes = threshold("consent", 1, fullMembers(base, now), t.counted, pull.author, []);
  const parts = [
    votes.met ? `approved by ${logins(t.counted)}` : "no approval from a full member yet",
    ...uncounted(t),
  ];
  const missing = [...votes.missing];
  if (endsOnboarding) {
    const chair = chairApproval(base, t, "ends onboarding early");
    parts.push(chair.part);
    missing.push(...chair.missing);
  }
  return result(missing.length === 0 ? "pass" : "pending", parts, missing);
}
