import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import {
  addDays,
  findMember,
  isFellow,
  lapsedAtReaffirmation,
  parseDay,
  reaffirmationCycleStart,
} from "../charter/facts.js";
import { loadCharter } from "../charter/loader.js";
import type { Charter, Member } from "../charter/schema.js";
import type { CommandSpec } from "../commands/types.js";
import type { Runtime } from "../context.js";
import type { Action, RepoRef } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import { isOwn } from "../core/identity.js";
import { hasMarker, marker, markersIn, markerValue } from "../core/markers.js";
import { issueComments } from "../github/comments.js";
import { checkTrackerPrivate } from "../reports/tracker-reads.js";
import { trackerRef } from "../reports/tracking.js";
import { participationCounts, readTimelines } from "./timelines.js";

/**
 * The annual reaffirmation, one cycle per year, every step once-only through markers in what the app
 * wrote (so every sweep may call `advanceReaffirmation` and a repeat changes nothing):
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

const day = (d: Date) => d.toISOString().slice(0, 10);

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

export interface LapsePlan {
  removed: string[];
  confirmed: { login: string; on: string }[];
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

/**
 * The charter text with the plan applied. The YAML document locates each member; the text is then edited
 * only at those places (a removed member's lines, a `reaffirmed:` value or a new `reaffirmed:` line), so
 * every comment, quote style and blank line elsewhere stays byte for byte. The result is checked against
 * the same change made through the document API (`setIn`/`deleteIn`). Throws naming what is wrong.
 */
export function applyLapsePlan(text: string, plan: LapsePlan): string {
  const doc = parseDocument(text);
  const members = doc.get("members");
  if (!isSeq(members)) throw new Error("charter: `members` is not a list");
  const memberAt = (login: string) => {
    const index = members.items.findIndex(
      (item) => isMap(item) && String(item.get("login")).toLowerCase() === login.toLowerCase(),
    );
    const item = members.items[index];
    if (!isMap(item) || !item.range) throw new Error(`charter: member @${login} not found in members`);
    return { index, item, range: item.range };
  };
  const lineStart = (at: number) => text.lastIndexOf("\n", at - 1) + 1;
  const lineEnd = (at: number) => {
    const nl = text.indexOf("\n", at);
    return nl < 0 ? text.length : nl + 1;
  };

  const edits: { from: number; to: number; insert: string }[] = [];
  const expected = parseDocument(text);
  for (const { login, on } of plan.confirmed) {
    const { index, item, range } = memberAt(login);
    const value = item.get("reaffirmed", true);
    if (isScalar(value) && value.range) {
      edits.push({ from: value.range[0], to: value.range[1], insert: on });
    } else {
      const indent = " ".repeat(range[0] - lineStart(range[0]));
      const at = lineEnd(range[1] - 1);
      edits.push({
        from: at,
        to: at,
        insert: `${text.endsWith("\n") || at < text.length ? "" : "\n"}${indent}reaffirmed: ${on}\n`,
      });
    }
    expected.setIn(["members", index, "reaffirmed"], on);
  }
  const removals = plan.removed.map(memberAt).sort((a, b) => b.index - a.index);
  for (const { index, range } of removals) {
    edits.push({ from: lineStart(range[0]), to: lineEnd(range[1] - 1), insert: "" });
    expected.deleteIn(["members", index]);
  }

  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from))
    out = out.slice(0, e.from) + e.insert + out.slice(e.to);
  if (JSON.stringify(parseDocument(out).toJS()) !== JSON.stringify(expected.toJS())) {
    throw new Error("charter: could not edit the members list without changing other content");
  }
  return out;
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

interface IssueRead {
  number: number;
  state?: string;
  body?: string | null;
  user: { login: string } | null;
  performed_via_github_app?: { id?: number } | null;
  pull_request?: unknown;
}

/** Advances this year's reaffirmation by at most one step. Returns what it did, one line each. */
export async function advanceReaffirmation(rt: Runtime, charter: Charter): Promise<string[]> {
  const cycle = cycleOf(charter, rt.now);
  // The issue holds figures about embargoed work: it lives in the tracker, and only while it is private.
  const privacy = await checkTrackerPrivate(rt, charter);
  if (!privacy.ok) return [`reaffirmation ${cycle.year}: ${privacy.problem}`];
  const repo = trackerRef(charter);
  const self = await rt.self();
  const issues = (await rt.octokit.paginate(rt.octokit.rest.issues.listForRepo, {
    ...repo,
    state: "all",
    since: cycle.start.toISOString(),
    per_page: 100,
  })) as IssueRead[];
  const issue = issues.find(
    (i) => !i.pull_request && isOwn(i, self) && hasMarker(i.body, openKey(cycle.year)),
  );

  if (!issue) {
    // Opening after the deadline would give nobody time to answer; that year is skipped.
    if (rt.now.getTime() >= cycle.deadline.getTime()) return [];
    const from = yearBefore(cycle.start);
    const counts = participationCounts(await readTimelines(rt, charter, from), from, cycle.start);
    rt.disclosure.learnFigures(membersToReaffirm(charter, cycle).map((m) => m.login));
    const { title, body } = reaffirmationIssue(charter, cycle, counts);
    const [result] = await rt.apply([
      {
        kind: "issue.create",
        repo,
        title,
        body,
        labels: [],
        assignees: [],
        why: `annual reaffirmation ${cycle.year}`,
      },
    ]);
    return [
      result?.outcome === "failed"
        ? `reaffirmation ${cycle.year}: could not open the issue (${result.error})`
        : `reaffirmation ${cycle.year}: opened the issue`,
    ];
  }
  if (rt.now.getTime() < cycle.deadline.getTime()) return [];

  const replies = (await issueComments(rt, repo, issue.number, { own: true })).map((c) => c.body);
  if (replies.some((b) => hasMarker(b, doneKey(cycle.year)))) return [];

  const plan = lapsePlan(charter, rt.now, reaffirmedIn(replies));
  let outcome: string;
  if (plan.removed.length === 0 && plan.confirmed.length === 0) {
    outcome = "Nothing to change in the charter.";
  } else {
    const pull = await openPull(rt, cycle, plan);
    if (typeof pull === "string") return [`reaffirmation ${cycle.year}: ${pull}`];
    outcome = `Charter pull request: ${rt.where.org}/${rt.where.repo}#${pull}.`;
  }
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
      repo,
      number: issue.number,
      body: summary.join("\n\n"),
      why: `reaffirmation ${cycle.year} ended`,
    },
  ];
  if (issue.state !== "closed") {
    close.push({
      kind: "issue.update",
      repo,
      number: issue.number,
      state: "closed",
      stateReason: "completed",
      why: `reaffirmation ${cycle.year} ended`,
    });
  }
  await rt.apply(close);
  return [
    `reaffirmation ${cycle.year}: ended (${plan.removed.length} removed, ${plan.confirmed.length} reaffirmed)`,
  ];
}

/** Opens (or finds, after an interrupted run) the charter PR; its number, or why it could not. */
async function openPull(rt: Runtime, cycle: Cycle, plan: LapsePlan): Promise<number | string> {
  const repo: RepoRef = { owner: rt.where.org, repo: rt.where.repo };
  const branch = `security-team/reaffirmation-${cycle.year}`;
  const existing = await rt.octokit.rest.pulls.list({
    owner: repo.owner,
    repo: repo.repo,
    head: `${repo.owner}:${branch}`,
    state: "all",
    per_page: 1,
  });
  if (existing.data[0]) return existing.data[0].number;

  const { data: repository } = await rt.octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  const file = await rt.octokit.rest.repos
    .getContent({ ...repo, path: rt.where.path, mediaType: { format: "raw" } })
    .catch((error) => (statusOf(error) === 404 ? undefined : Promise.reject(error)));
  if (!file) return `the charter file ${rt.where.path} is missing`;
  const content = applyLapsePlan(String(file.data), plan);
  const check = loadCharter(content, { file: rt.where.path, now: rt.now, org: rt.org });
  if (!check.ok) {
    return `not opening the pull request: the edited charter would be invalid (${check.errors.map((e) => e.message).join("; ")})`;
  }
  const [result] = await rt.apply([
    {
      kind: "pull.createWithFile",
      repo,
      base: repository.default_branch,
      branch,
      path: rt.where.path,
      content,
      commitMessage: `Annual reaffirmation ${cycle.year}`,
      title: `Annual reaffirmation ${cycle.year}: ${plan.removed.length} removed, ${plan.confirmed.length} reaffirmed`,
      body: pullBody(cycle, plan),
      why: `reaffirmation ${cycle.year} ended`,
    },
  ]);
  if (result?.outcome === "failed") return `could not open the pull request (${result.error})`;
  if (rt.dryRun) return 0;
  return (result?.data as { number: number }).number;
}

/** `/reaffirm` on this year's reaffirmation issue: ticks the member's line, records the day. */
export const reaffirmCommand: CommandSpec = {
  name: "reaffirm",
  usage: "/reaffirm",
  summary: "reaffirm your membership (on the annual reaffirmation issue)",
  who: "member",
  scope: "report",
  async run({ ctx, charter, issue, sender, repo, issueNumber }) {
    const self = await ctx.self();
    const year = isOwn(issue, self) ? Number(markerValue(issue.body, "reaffirmation:")) : Number.NaN;
    if (!Number.isInteger(year)) {
      return { reply: `@${sender}: refused: \`/reaffirm\` works on the app's annual reaffirmation issue.` };
    }
    const cycle = cycleOf(charter, ctx.now);
    if (year !== cycle.year || ctx.now.getTime() >= cycle.deadline.getTime()) {
      return {
        reply: `@${sender}: refused: the reaffirmation ${year} is closed. Ask a chair to record it in the charter with a pull request.`,
      };
    }
    const member = findMember(charter, sender) as Member;
    if (isFellow(member)) return { reply: `@${sender}: fellows do not need to reaffirm.` };
    const on = day(ctx.now);
    const body = tick(issue.body ?? "", member.login, on);
    if (body === undefined) {
      return {
        reply: `@${sender}: you joined after this reaffirmation opened; nothing to do until next year.`,
      };
    }
    if (body === issue.body) return { reply: `@${sender}: your reaffirmation is already recorded.` };
    return {
      reply: `@${sender} reaffirmed on ${on}. Thank you.\n\n${marker(reaffirmedKey(member.login, on))}`,
      actions: [{ kind: "issue.update", repo, number: issueNumber, body, why: `@${sender} reaffirmed` }],
    };
  },
};
