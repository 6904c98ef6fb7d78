import { addDays, chairs, daysBetween, isMember, mention, sameLogin, triagers } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Action } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { planReportLabelRestored } from "../reports/report-label.js";
import { ACK_KEY, reminderKey, trackerRef } from "../reports/tracking-markers.js";

/**
 * The stale stages of one open tracking issue, as a pure function of (charter, snapshot, now).
 *
 * Stages, each measured from the report's arrival (the issue's creation) except `idle`:
 * - `acknowledge`: no `ack` milestone after `acknowledge_within_days` → the triagers are reminded;
 * - `owner`: no single assignee after `owner_within_days` → the triagers are reminded;
 * - `idle`: the owner has not commented for `owner_idle_days` since their last comment (or since
 *   they became owner) → the owner is reminded;
 * - `escalate`: open for `escalate_after_days` → the chairs are mentioned and `labels.stale` added.
 *
 * Each stage comments at most once per report, ever (`reminder:<stage>` marker in the app's comment).
 * Stages crossed in the same sweep share one comment, so a report found late gets one message, not
 * four. Only people count as activity: the app's comments are read for their markers, never as
 * activity, and labels are not read at all except `stale`.
 */

export const STAGES = ["acknowledge", "owner", "idle", "escalate"] as const;
export type Stage = (typeof STAGES)[number];

export interface ReportComment {
  /** The author's login, `slug[bot]` for apps. */
  author: string;
  createdAt: Date;
  /** Written by this app: its markers are trusted, and it is never activity. */
  own: boolean;
  /** Markers in the comment, only for the app's own comments (empty otherwise). */
  markers: string[];
}

/** What the stages need of one open tracking issue. */
export interface ReportSnapshot {
  number: number;
  createdAt: Date;
  assignees: string[];
  labels: string[];
  /** Oldest first. */
  comments: ReportComment[];
  /** The issue's body and author, for the advisory-comment mirror (the markers name the advisory). */
  issue?: { body: string; user: { login: string } };
}

/** The owner is the issue's single assignee (tracking-markers.ts); two or more assignees is no owner. */
export function ownerOf(report: ReportSnapshot): string | undefined {
  return report.assignees.length === 1 ? report.assignees[0] : undefined;
}

/**
 * Who a comment speaks for: its author, or for the app's mirror of an advisory comment
 * (`features.advisory_comments`), the person who wrote on the advisory.
 */
function speaker(c: ReportComment): string | undefined {
  if (!c.own) return c.author;
  return c.markers.find((k) => k.startsWith("by:"))?.slice("by:".length);
}

function ownMilestones(report: ReportSnapshot, test: (key: string) => boolean): ReportComment[] {
  return report.comments.filter((c) => c.own && c.markers.some(test));
}

function reminded(report: ReportSnapshot, stage: Stage): ReportComment | undefined {
  return ownMilestones(report, (k) => k === reminderKey(stage))[0];
}

function latest(dates: Date[]): Date | undefined {
  return dates.reduce<Date | undefined>((a, b) => (a && a.getTime() >= b.getTime() ? a : b), undefined);
}

/**
 * When the owner's silence started: their last comment, or the later `owner:<login>` milestone
 * (a claim or hand-off), or the report's arrival. The milestone is the app's comment but records a
 * person's claim, and nobody is idle on a report before they own it.
 */
export function ownerActiveAt(report: ReportSnapshot, owner: string): Date {
  const own = report.comments.filter((c) => sameLogin(speaker(c) ?? "", owner)).map((c) => c.createdAt);
  const claimed = ownMilestones(report, (k) => sameLogin(k, `owner:${owner}`)).map((c) => c.createdAt);
  return latest([report.createdAt, ...own, ...claimed]) as Date;
}

/**
 * Activity after the escalation that shows someone picked the report up: an `ack` or
 * `owner:<login>` milestone (acknowledgement, claim, hand-off) or a comment by the current owner.
 */
function resolvedSince(report: ReportSnapshot, since: Date): boolean {
  const after = (c: ReportComment) => c.createdAt.getTime() > since.getTime();
  const owner = ownerOf(report);
  return report.comments.some(
    (c) =>
      after(c) &&
      ((c.own && c.markers.some((k) => k === ACK_KEY || k.startsWith("owner:"))) ||
        (owner !== undefined && sameLogin(speaker(c) ?? "", owner))),
  );
}

/** The stages due now and not yet reminded, in order. */
export function dueStages(charter: Charter, report: ReportSnapshot, now: Date): Stage[] {
  const policy = charter.policy.reports;
  const reached = (from: Date, days: number) => now.getTime() >= addDays(from, days).getTime();
  const owner = ownerOf(report);
  // A member's reply on the advisory (mirrored into the issue) acknowledges the report too.
  const acknowledged =
    ownMilestones(report, (k) => k === ACK_KEY).length > 0 ||
    report.comments.some((c) => c.own && isMember(charter, speaker(c) ?? ""));
  const due: Record<Stage, boolean> = {
    acknowledge: !acknowledged && reached(report.createdAt, policy.acknowledge_within_days),
    owner: owner === undefined && reached(report.createdAt, policy.owner_within_days),
    idle: owner !== undefined && reached(ownerActiveAt(report, owner), policy.owner_idle_days),
    escalate: reached(report.createdAt, policy.escalate_after_days),
  };
  return STAGES.filter((s) => due[s] && !reminded(report, s));
}

/** Who a stage speaks to: available triagers (all triagers if none is available; the chairs if there are none). */
function triagerLogins(charter: Charter): string[] {
  const all = triagers(charter);
  const available = all.filter((m) => !m.unavailable);
  const chosen = available.length > 0 ? available : all.length > 0 ? all : chairs(charter);
  return chosen.map((m) => m.login);
}

function paragraph(charter: Charter, report: ReportSnapshot, stage: Stage, now: Date): string {
  const policy = charter.policy.reports;
  switch (stage) {
    case "acknowledge":
      return `${mention(triagerLogins(charter))}: this report has not been acknowledged ${policy.acknowledge_within_days} days after it arrived. Please triage it and run \`/ack\` (claiming it also acknowledges it).`;
    case "owner":
      return `${mention(triagerLogins(charter))}: this report still has no owner ${policy.owner_within_days} days after it arrived. A member can take it with the \`${charter.labels.claim}\` label or \`/claim\`.`;
    case "idle": {
      const owner = ownerOf(report) as string;
      return `@${owner}: no update from you here for ${daysBetween(ownerActiveAt(report, owner), now)} days. Please post where this report stands, or \`/release\` it or \`/handoff @login\` if you cannot continue.`;
    }
    case "escalate":
      return `${mention(chairs(charter).map((m) => m.login))}: this report has been open for ${daysBetween(report.createdAt, now)} days (the limit is ${policy.escalate_after_days}), so it is escalated to the chairs and labelled \`${charter.labels.stale}\`. The label goes when the report is acknowledged or claimed, or its owner posts an update.`;
  }
}

/** The comment for the stages crossed in one sweep: one paragraph and one marker per stage. */
export function reminderComment(
  charter: Charter,
  report: ReportSnapshot,
  stages: Stage[],
  now: Date,
): string {
  return [
    ...stages.map((s) => paragraph(charter, report, s, now)),
    stages.map((s) => marker(reminderKey(s))).join("\n"),
  ].join("\n\n");
}

/** Everything a sweep does to one open tracking issue. */
export function staleActions(charter: Charter, report: ReportSnapshot, now: Date): Action[] {
  const repo = trackerRef(charter);
  const stale = charter.labels.stale;
  const hasStale = report.labels.some((l) => l.toLowerCase() === stale.toLowerCase());
  const stages = dueStages(charter, report, now);
  // A label removed while the webhook was missed: the report is the app's by its marker, so it is put back.
  const labelled = report.labels.some((l) => sameLogin(l, charter.labels.report));
  const actions: Action[] = labelled ? [] : planReportLabelRestored(charter, repo, report.number);
  if (stages.length > 0) {
    actions.push({
      kind: "issue.comment",
      repo,
      number: report.number,
      body: reminderComment(charter, report, stages, now),
      why: `stale report: ${stages.join(", ")} reminder`,
    });
  }
  if (stages.includes("escalate") && !hasStale) {
    actions.push({
      kind: "issue.addLabels",
      repo,
      number: report.number,
      labels: [stale],
      why: `open more than ${charter.policy.reports.escalate_after_days} days`,
    });
  }
  // Only the label the escalation added is ours to remove: a `stale` label put there by hand stays.
  const escalated = reminded(report, "escalate");
  if (escalated && hasStale && resolvedSince(report, escalated.createdAt)) {
    actions.push({
      kind: "issue.removeLabel",
      repo,
      number: report.number,
      label: stale,
      why: "picked up again after the escalation",
    });
  }
  return actions;
}
