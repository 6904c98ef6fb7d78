import {
  addDays,
  isFellow,
  lapsedAtReaffirmation,
  parseDay,
  reaffirmationCycleStart,
} from "../charter/facts.js";
import type { LapsePlan } from "../charter/members-edit.js";
import type { Charter, Member } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import { hasMarker, marker, markersIn } from "../core/markers.js";

/**
 * The annual reaffirmation, one cycle per year, every step once-only through markers in what the app
 * wrote (so every sweep may call `advanceReaffirmation` in reaffirmation-run.ts and a repeat changes nothing):
 *
 * 1. on/after `policy.reaffirmation.month/day` and before the grace period ends: an issue in the private
 *    tracker (marker `reaffirmation:<year>`) lists every non-fellow member who joined before that day, with
 *    the reports each took part in over the past year (figures about embargoed work: never in a public repo);
 * 2. each replies `/reaffirm`: the app ticks their line and records `reaffirmed:<login>:<date>` in its reply;
 * 3. once the grace period is over (the same day `lapsedAtReaffirmation` starts to hold): a charter PR
 *    removes those who did not reaffirm and records `reaffirmed:` for those who did (it names who lapsed,
 *    never counts, nor the tracker's issue); the issue gets a comment (marker `reaffirmation-done:<year>`)
 *    and is closed.
 */

export const openKey = (year: number) => `reaffirmation:${year}`;
export const doneKey = (year: number) => `reaffirmation-done:${year}`;
export const reaffirmedKey = (login: string, day: string) => `reaffirmed:${login.toLowerCase()}:${day}`;

export interface Cycle {
  year: number;
  /** The policy's day this year (or last year, before it): when the issue opens. */
  start: Date;
  /** The first day members who did not reaffirm have lapsed. */
  deadline: Date;
}

export function cycleOf(charter: Charter, now: Date): Cycle {
  const start = reaffirmationCycleStart(charter, now);
  return {
    year: start.getUTCFullYear(),
    start,
    deadline: addDays(start, charter.policy.reaffirmation.grace_days),
  };
}

export const day = (d: Date) => d.toISOString().slice(0, 10);

/** Non-fellows who were members when the cycle opened (later joiners are exempt, as in facts.ts). */
export function membersToReaffirm(charter: Charter, cycle: Cycle): Member[] {
  return charter.members.filter((m) => !isFellow(m) && parseDay(m.joined).getTime() < cycle.start.getTime());
}

/** The issue that opens a cycle: a checklist with each member's report count over the past year. */
export function reaffirmationIssue(
  charter: Charter,
  cycle: Cycle,
  counts: Map<string, number>,
): { title: string; body: string } {
  const min = charter.policy.activity.min_reports_per_year;
  const lastDay = day(addDays(cycle.deadline, -1));
  const lines = membersToReaffirm(charter, cycle).map((m) => {
    const n = counts.get(m.login.toLowerCase()) ?? 0;
    const flag = n < min ? ` ⚠️ fewer than ${min}` : "";
    return `- [ ] @${m.login}: ${n} report${n === 1 ? "" : "s"}${flag}`;
  });
  return {
    title: `Annual reaffirmation ${cycle.year}: reply /reaffirm by ${lastDay}`,
    body: [
      `## Annual reaffirmation ${cycle.year}`,
      `Every member who is not a fellow: reply \`/reaffirm\` on this issue by **${lastDay}** (UTC) to stay on the security team.`,
      `On ${day(cycle.deadline)} the app opens a charter pull request that removes the members who did not reaffirm (the \`charter\` check accepts a lapse at reaffirmation as the reason) and records \`reaffirmed:\` for those who did.`,
      `Reports each member took part in (owner, comment or sign-off on a tracking issue) from ${day(yearBefore(cycle.start))} to ${day(cycle.start)}; the charter asks for at least ${min} a year.`,
      lines.length > 0 ? lines.join("\n") : "_No member needs to reaffirm this year._",
      marker(openKey(cycle.year)),
    ].join("\n\n"),
  };
}

function yearBefore(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate()));
}

const lineOf = (login: string) => new RegExp(`^- \\[( |x)\\] @${login.replace(/[-]/g, "\\-")}:(.*)$`, "im");

/** The checklist with `login`'s line ticked; undefined when they are not on it. */
export function tick(body: string, login: string, on: string): string | undefined {
  const match = lineOf(login).exec(body);
  if (!match) return undefined;
  if (match[1] === "x") return body;
  return body.replace(
    lineOf(login),
    (_all, _box, rest: string) => `- [x] @${login}:${rest} (reaffirmed ${on})`,
  );
}

/** Who reaffirmed, from the app's replies: login (lower case) → day. */
export function reaffirmedIn(appReplies: (string | null | undefined)[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const body of appReplies) {
    for (const key of markersIn(body)) {
      const [kind, login, on] = key.split(":");
      if (kind === "reaffirmed" && login && on) out.set(login, on);
    }
  }
  return out;
}

/**
 * At the end of the grace period: remove exactly the members `lapsedAtReaffirmation` calls lapsed (so the
 * governance check accepts the removal) unless they replied `/reaffirm`; record the date for those who did.
 */
export function lapsePlan(charter: Charter, now: Date, reaffirmed: Map<string, string>): LapsePlan {
  const removed: string[] = [];
  const confirmed: LapsePlan["confirmed"] = [];
  for (const m of charter.members) {
    const on = reaffirmed.get(m.login.toLowerCase());
    if (on) {
      if (!m.reaffirmed || m.reaffirmed < on) confirmed.push({ login: m.login, on });
    } else if (lapsedAtReaffirmation(charter, m, now)) {
      removed.push(m.login);
    }
  }
  return { removed, confirmed };
}

/** Public (the charter repo): who lapsed or reaffirmed and when, nothing about reports or the tracker. */
function pullBody(cycle: Cycle, plan: LapsePlan): string {
  return [
    `The annual reaffirmation ${cycle.year} (held in the security team's private tracker) ended on ${day(cycle.deadline)}.`,
    plan.removed.length > 0
      ? `**Removed** (did not reaffirm: lapsed at reaffirmation, which the \`charter\` check accepts as the reason):\n${plan.removed.map((l) => `- @${l}`).join("\n")}`
      : undefined,
    plan.confirmed.length > 0
      ? `**Reaffirmed** (\`reaffirmed:\` recorded; as an edit, this needs one approving review from a full member):\n${plan.confirmed.map((c) => `- @${c.login}: ${c.on}`).join("\n")}`
      : undefined,
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** This year's reaffirmation issue, as the runner read it. */
export interface ReaffirmationIssue {
  number: number;
  state?: string;
}

/**
 * The next step of this year's cycle, from the issue the app opened (if any) and the day: `open` needs
 * the participation counts since `from` (see `openingActions`), `end` the app's replies on the issue
 * (see `endingPlan`).
 */
export type ReaffirmationStep =
  | { kind: "wait" }
  | { kind: "open"; cycle: Cycle; from: Date }
  | { kind: "end"; cycle: Cycle; issue: ReaffirmationIssue };

export function reaffirmationStep(
  charter: Charter,
  issue: ReaffirmationIssue | undefined,
  now: Date,
): ReaffirmationStep {
  const cycle = cycleOf(charter, now);
  const over = now.getTime() >= cycle.deadline.getTime();
  // Opening after the deadline would give nobody time to answer; that year is skipped.
  if (!issue) return over ? { kind: "wait" } : { kind: "open", cycle, from: yearBefore(cycle.start) };
  return over ? { kind: "end", cycle, issue } : { kind: "wait" };
}

/** Opens the issue in the tracker, with each member's report count. */
export function openingActions(
  charter: Charter,
  cycle: Cycle,
  counts: Map<string, number>,
  tracker: RepoRef,
): Action[] {
  const { title, body } = reaffirmationIssue(charter, cycle, counts);
  return [
    {
      kind: "issue.create",
      repo: tracker,
      title,
      body,
      labels: [],
      assignees: [],
      why: `annual reaffirmation ${cycle.year}`,
    },
  ];
}

/** Who to remove and who reaffirmed, from the app's replies; undefined when the cycle has ended already. */
export function endingPlan(
  charter: Charter,
  cycle: Cycle,
  appReplies: (string | null | undefined)[],
  now: Date,
): LapsePlan | undefined {
  if (appReplies.some((b) => hasMarker(b, doneKey(cycle.year)))) return undefined;
  return lapsePlan(charter, now, reaffirmedIn(appReplies));
}

/** The charter pull request's branch and text (public: see `pullBody`). */
export function charterPullOf(cycle: Cycle, plan: LapsePlan) {
  return {
    branch: `security-team/reaffirmation-${cycle.year}`,
    commitMessage: `Annual reaffirmation ${cycle.year}`,
    title: `Annual reaffirmation ${cycle.year}: ${plan.removed.length} removed, ${plan.confirmed.length} reaffirmed`,
    body: pullBody(cycle, plan),
  };
}

/** The summary comment on the issue, and closing it; `pull` names the charter pull request, if any. */
export function endingActions(
  cycle: Cycle,
  tracker: RepoRef,
  issue: ReaffirmationIssue,
  plan: LapsePlan,
  pull: string | undefined,
): Action[] {
  const outcome = pull ? `Charter pull request: ${pull}.` : "Nothing to change in the charter.";
  const summary = [
    `The grace period ended on ${day(cycle.deadline)}. ${outcome}`,
    plan.removed.length > 0 ? `Did not reaffirm: ${plan.removed.map((l) => `@${l}`).join(" ")}.` : undefined,
    plan.confirmed.length > 0
      ? `Reaffirmed: ${plan.confirmed.map((c) => `@${c.login}`).join(" ")}.`
      : undefined,
    marker(doneKey(cycle.year)),
  ].filter(Boolean);
  const close: Action[] = [
    {
      kind: "issue.comment",
      repo: tracker,
      number: issue.number,
      body: summary.join("\n\n"),
      why: `reaffirmation ${cycle.year} ended`,
    },
  ];
  if (issue.state !== "closed") {
    close.push({
      kind: "issue.update",
      repo: tracker,
      number: issue.number,
      state: "closed",
      stateReason: "completed",
      why: `reaffirmation ${cycle.year} ended`,
    });
  }
  return close;
}
