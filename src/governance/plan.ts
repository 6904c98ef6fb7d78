import { findMember, isOnboarding } from "../charter/facts.js";
import type { Charter, Member } from "../charter/schema.js";
import {
  additionRule,
  editRule,
  type JoiningOnboarding,
  joiningOnboarding,
  type Nomination,
  type PullFacts,
  type RuleResult,
  removalRule,
  type Verdict,
} from "./rules.js";

/** One membership-relevant difference between the base and head charters. */
export type Change =
  | { kind: "add"; member: Member; joining: JoiningOnboarding }
  | { kind: "remove"; member: Member }
  | { kind: "role"; login: string; from: string[]; to: string[] }
  | { kind: "edit"; login?: string; what: string; endsOnboarding?: true };

/** When the plan is made: onboarding is judged by the base charter's policy at `now`. */
export interface PlanTime {
  openedAt: Date;
  now: Date;
}

const MEMBER_FIELDS = [
  "login",
  "name",
  "affiliation",
  "joined",
  "reaffirmed",
  "until",
  "onboarding",
  "unavailable",
] as const;

function show(value: unknown): string {
  return value === undefined ? "(none)" : String(value);
}

function roleList(roles: string[]): string {
  return roles.length > 0 ? roles.join(", ") : "(no role)";
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The difference between two valid charters: additions, removals, role changes, member edits, and
 * edits to the other settings. A file edit with none of these is one "other edit", so that every
 * change to the charter file needs at least one approval.
 */
export function planChanges(base: Charter, head: Charter, when: PlanTime): Change[] {
  const additions: Change[] = [];
  const removals: Change[] = [];
  const roles: Change[] = [];
  const edits: Change[] = [];
  for (const member of head.members) {
    const before = findMember(base, member.login);
    if (!before) {
      additions.push({
        kind: "add",
        member,
        joining: joiningOnboarding(base, member, when.openedAt, when.now),
      });
      continue;
    }
    const from = [...before.roles].sort();
    const to = [...member.roles].sort();
    if (!same(from, to))
      roles.push({ kind: "role", login: member.login, from: before.roles, to: member.roles });
    const fields = MEMBER_FIELDS.filter((f) => !same(before[f], member[f])).map(
      (f) => `${f}: ${show(before[f])} → ${show(member[f])}`,
    );
    if (fields.length > 0) {
      // Judged by the base policy, so a policy edit in the same PR cannot hide it.
      const ends = isOnboarding(base, before, when.now) && !isOnboarding(base, member, when.now);
      edits.push({
        kind: "edit",
        login: member.login,
        what: fields.join("; "),
        ...(ends ? { endsOnboarding: true as const } : {}),
      });
    }
  }
  for (const member of base.members) {
    if (!findMember(head, member.login)) removals.push({ kind: "remove", member });
  }
  for (const key of ["version", "org", "team", "tracker", "policy", "features", "labels"] as const) {
    const a = base[key] as unknown;
    const b = head[key] as unknown;
    if (same(a, b)) continue;
    const isGroup = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
    const what = isGroup
      ? Object.keys({ ...(a as object), ...(b as object) })
          .filter((k) => !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
          .map((k) => `${key}.${k} changed`)
          .join("; ")
      : `${key}: ${show(a)} → ${show(b)}`;
    edits.push({ kind: "edit", what });
  }
  const changes = [...additions, ...removals, ...roles, ...edits];
  return changes.length > 0
    ? changes
    : [{ kind: "edit", what: "file edited (no change to members or settings)" }];
}

export interface Evaluated {
  change: Change;
  result: RuleResult;
}

/** Each change judged by its rule, against the base charter. */
export function evaluateChanges(
  base: Charter,
  changes: Change[],
  pull: PullFacts,
  nominations: Nomination[],
  now: Date,
): Evaluated[] {
  return changes.map((change) => ({ change, result: judgeChange(base, change, pull, nominations, now) }));
}

function judgeChange(
  base: Charter,
  change: Change,
  pull: PullFacts,
  nominations: Nomination[],
  now: Date,
): RuleResult {
  if (change.kind === "add") return additionRule(base, change.member, nominations, pull, now);
  if (change.kind === "remove") return removalRule(base, change.member, pull, now);
  return editRule(base, pull, now, change.kind === "edit" && change.endsOnboarding === true);
}

/** The check passes only when every change passes; one failure fails it. */
export function overallVerdict(evaluated: Evaluated[]): Verdict {
  if (evaluated.some((e) => e.result.verdict === "fail")) return "fail";
  if (evaluated.some((e) => e.result.verdict === "pending")) return "pending";
  return "pass";
}

export function describeChange(change: Change): { who: string; what: string } {
  switch (change.kind) {
    case "add": {
      const roles = change.member.roles.length > 0 ? `, roles: ${change.member.roles.join(", ")}` : "";
      const from = change.member.affiliation
        ? ` (${change.member.affiliation}${roles})`
        : roles
          ? ` (${roles.slice(2)})`
          : "";
      const joining = {
        onboarding: "",
        shortened: ", onboarding shortened",
        "full member": ", joins as a full member",
      }[change.joining];
      return { who: `@${change.member.login}`, what: `added${from}${joining}` };
    }
    case "remove":
      return { who: `@${change.member.login}`, what: "removed" };
    case "role":
      return { who: `@${change.login}`, what: `roles: ${roleList(change.from)} → ${roleList(change.to)}` };
    case "edit":
      return {
        who: change.login ? `@${change.login}` : "(settings)",
        what: change.endsOnboarding ? `${change.what} (ends onboarding early)` : change.what,
      };
  }
}
