import { sameLogin, triagers } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { inertLine } from "../core/people-text.js";
import { addTeam, type Report, reportersOf } from "./advisory.js";
import { type AdvisoryNow, statusSection } from "./advisory-work.js";
import type { TrackingIssue } from "./read.js";
import { advisoryRepoMarker, ghsaMarker, triagerKey } from "./tracking-markers.js";

/** The labels the app uses, with the colour and description it creates them with. */
export function appLabels(charter: Charter): { name: string; color: string; description: string }[] {
  return [
    { name: charter.labels.report, color: "b60205", description: "Tracks a repository security advisory" },
    { name: charter.labels.claim, color: "0e8a16", description: "Add to take ownership of this report" },
    {
      name: charter.labels.needs_signoff,
      color: "fbca04",
      description: "Waiting for a full member's /approve",
    },
    { name: charter.labels.stale, color: "d93f0b", description: "Past the charter's deadlines" },
  ];
}

export function planLabels(charter: Charter, tracker: RepoRef, existing: string[]): Action[] {
  return appLabels(charter)
    .filter((l) => !existing.some((e) => sameLogin(e, l.name)))
    .map((l) => ({ kind: "label.ensure", repo: tracker, ...l, why: "a label the app uses" }));
}

/**
 * The triager after `last` in charter order, skipping the reporters and unavailable members;
 * the first eligible triager when `last` is unknown; undefined when nobody is eligible.
 */
export function nextTriager(
  charter: Charter,
  last: string | undefined,
  reporters: string[],
): string | undefined {
  const all = triagers(charter);
  const start = last ? all.findIndex((m) => sameLogin(m.login, last)) + 1 : 0;
  for (let i = 0; i < all.length; i++) {
    const candidate = all[(start + i) % all.length];
    if (!candidate || candidate.unavailable) continue;
    if (reporters.some((r) => sameLogin(r, candidate.login))) continue;
    return candidate.login;
  }
  return undefined;
}

/** The triager of the most recently created tracking issue that has one: where the rotation resumes. */
export function lastTriager(issues: TrackingIssue[]): string | undefined {
  const withTriager = issues.filter((i) => i.triager);
  withTriager.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number);
  return withTriager.at(-1)?.triager;
}

export function trackingTitle(report: Report): string {
  const title = `${report.advisory.ghsa_id}: ${inertLine(report.advisory.summary)}`;
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

/** The tracking issue's body. Markers come first so nothing in the report can precede them. */
export function trackingBody(charter: Charter, report: Report, triager: string | undefined): string {
  const { advisory, repo } = report;
  const reporters = reportersOf(advisory);
  const reported = advisory.created_at
    ? `${advisory.created_at.replace("T", " ").replace("Z", "")} UTC`
    : "unknown";
  return [
    ghsaMarker(advisory.ghsa_id),
    advisoryRepoMarker(repo.owner, repo.repo),
    ...(triager ? [marker(triagerKey(triager))] : []),
    "",
    `| | |`,
    `| --- | --- |`,
    `| Advisory | [${advisory.ghsa_id}](${advisory.html_url}) in \`${repo.owner}/${repo.repo}\` |`,
    `| Severity | ${advisory.severity ?? "not set"} |`,
    `| Reporter | ${reporters.length > 0 ? reporters.map((r) => `\`${r}\``).join(", ") : "unknown"} |`,
    `| Reported | ${reported} |`,
    `| Triager | ${triager ? `@${triager}` : "none available: please claim it"} |`,
    "",
    "### Summary",
    "",
    `> ${inertLine(advisory.summary)}`,
    "",
    `Take ownership by adding the \`${charter.labels.claim}\` label or commenting \`/claim\`. ` +
      "The details are in the advisory; keep the discussion here (this repository is private). " +
      "`/help` lists the commands.",
    "",
    statusSection(advisory as AdvisoryNow),
  ].join("\n");
}

/**
 * Actions for reports in triage or draft: a tracking issue for each one that has none (triagers in
 * turn, oldest report first) and the team as a collaborating team on every advisory.
 */
export function planIntake(
  charter: Charter,
  tracker: RepoRef,
  reports: Report[],
  issues: TrackingIssue[],
): Action[] {
  const tracked = new Set(issues.map((i) => i.ghsa.toUpperCase()));
  const fresh = reports
    .filter((r) => !tracked.has(r.advisory.ghsa_id.toUpperCase()))
    .filter((r, i, all) => all.findIndex((o) => o.advisory.ghsa_id === r.advisory.ghsa_id) === i)
    .sort((a, b) => (a.advisory.created_at ?? "").localeCompare(b.advisory.created_at ?? ""));
  let last = lastTriager(issues);
  const creates: Action[] = fresh.map((report) => {
    const triager = nextTriager(charter, last, reportersOf(report.advisory));
    last = triager ?? last;
    return {
      kind: "issue.create",
      repo: tracker,
      title: trackingTitle(report),
      body: trackingBody(charter, report, triager),
      labels: [charter.labels.report],
      assignees: triager ? [triager] : [],
      why: `track ${report.advisory.ghsa_id}`,
    };
  });
  return [...creates, ...planCollaboration(charter, reports)];
}

/** The team as a collaborating team on every advisory (no report text: safe even without a tracker). */
export function planCollaboration(charter: Charter, reports: Report[]): Action[] {
  return reports.flatMap(
    (r) => addTeam(r, charter.team, `team ${charter.team} collaborates on ${r.advisory.ghsa_id}`) ?? [],
  );
}
