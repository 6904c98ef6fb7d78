import type { Charter, Member } from "./schema.js";

/** Facts every feature derives from the charter. All pure; `now` is always passed in. */

const DAY_MS = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD date. */
export function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: Date, months: number): Date {
  const y = day.getUTCFullYear();
  const m = day.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(day.getUTCDate(), lastDay)));
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

/** Whole days between two instants, rounded down. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function findMember(charter: Charter, login: string): Member | undefined {
  return charter.members.find((m) => sameLogin(m.login, login));
}

export function isMember(charter: Charter, login: string): boolean {
  return findMember(charter, login) !== undefined;
}

/** The first day the member is no longer onboarding. */
export function onboardingEnds(charter: Charter, member: Member): Date {
  return addMonths(parseDay(member.joined), charter.policy.onboarding.months);
}

/**
 * A member is onboarding while `joined + onboarding.months` is in the future. Roles do not matter
 * (fellows onboard too); `onboarding: false` exempts someone who was a member before.
 */
export function isOnboarding(charter: Charter, member: Member, now: Date): boolean {
  if (member.onboarding === false) return false;
  return now.getTime() < onboardingEnds(charter, member).getTime();
}

export function isFullMember(charter: Charter, login: string, now: Date): boolean {
  const member = findMember(charter, login);
  return member !== undefined && !isOnboarding(charter, member, now);
}

export function fullMembers(charter: Charter, now: Date): Member[] {
  return charter.members.filter((m) => !isOnboarding(charter, m, now));
}

export function isChair(member: Member): boolean {
  return member.roles.includes("chair") || member.roles.includes("co-chair");
}

/** The chair and co-chairs. */
export function chairs(charter: Charter): Member[] {
  return charter.members.filter(isChair);
}

export function triagers(charter: Charter): Member[] {
  return charter.members.filter((m) => m.roles.includes("triager"));
}

export function isFellow(member: Member): boolean {
  return member.roles.includes("fellow");
}

/** GitHub team role: chairs maintain the team, everyone else is a member. */
export function teamRole(member: Member): "maintainer" | "member" {
  return isChair(member) ? "maintainer" : "member";
}

export function mention(logins: Iterable<string>): string {
  return [...logins].map((l) => `@${l}`).join(" ");
}

/** The most recent reaffirmation date (policy month/day) at or before `now`. */
export function reaffirmationCycleStart(charter: Charter, now: Date): Date {
  const { month, day } = charter.policy.reaffirmation;
  const thisYear = new Date(Date.UTC(now.getUTCFullYear(), month - 1, day));
  return thisYear.getTime() <= now.getTime()
    ? thisYear
    : new Date(Date.UTC(now.getUTCFullYear() - 1, month - 1, day));
}

/**
 * A non-fellow member lapsed at reaffirmation when the current cycle's grace period is over and they
 * have not reaffirmed since it opened (members who joined after it opened are exempt).
 */
export function lapsedAtReaffirmation(charter: Charter, member: Member, now: Date): boolean {
  if (isFellow(member)) return false;
  const start = reaffirmationCycleStart(charter, now);
  const deadline = addDays(start, charter.policy.reaffirmation.grace_days);
  if (now.getTime() < deadline.getTime()) return false;
  if (parseDay(member.joined).getTime() >= start.getTime()) return false;
  return !member.reaffirmed || parseDay(member.reaffirmed).getTime() < start.getTime();
}

/** The member's term has ended: `until` is today or earlier. */
export function termEnded(member: Member, now: Date): boolean {
  return member.until !== undefined && parseDay(member.until).getTime() <= now.getTime();
}

/** What time has made stale in a valid charter: warnings, never errors (validity never depends on the clock). */
export function charterWarnings(
  charter: Charter,
  now: Date,
): { path: (string | number)[]; message: string }[] {
  return charter.members.flatMap((m, i) =>
    termEnded(m, now)
      ? [
          {
            path: ["members", i, "until"],
            message: `members.${i}.until: @${m.login}'s term ended on ${m.until} but they are still listed; merge the term-end pull request the sweep opens, or extend \`until\``,
          },
        ]
      : [],
  );
}
