import type { ReportTimeline } from "./timelines.js";

/**
 * The year's figures, computed from report timelines alone (pure, so it is golden-tested). Contains
 * figures and logins only, never report contents. The whole report goes to the private tracker; the
 * public copy (`renderAnnualReport(r, { perMember: false })`) leaves out every per-member figure.
 */
export interface AnnualReport {
  year: number;
  /** Reports whose tracking issue was opened during the year (UTC). */
  received: number;
  /** Of those, month by month (January first). */
  receivedByMonth: number[];
  /** Hours from the report arriving to each milestone, over the year's reports that reached it. */
  toAcknowledgement: Durations;
  toOwner: Durations;
  toClose: Durations;
  /** Reports (from any year) still open at the end of the year. */
  openAtYearEnd: number;
  /** Per login, over the year's reports: how many they owned and how many they took part in. */
  load: { login: string; owned: number; tookPart: number }[];
}

export interface Durations {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

const HOUR_MS = 3_600_000;

/** Nearest-rank percentile (p in (0, 1]) of sorted values: always one of the observed values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

function durations(timelines: ReportTimeline[], pick: (t: ReportTimeline) => string | undefined): Durations {
  const hours = timelines
    .flatMap((t) => {
      const at = pick(t);
      return at ? [(new Date(at).getTime() - new Date(t.opened).getTime()) / HOUR_MS] : [];
    })
    .map((h) => Math.round(Math.max(0, h) * 10) / 10)
    .sort((a, b) => a - b);
  return { count: hours.length, medianHours: percentile(hours, 0.5), p90Hours: percentile(hours, 0.9) };
}

export function annualReport(timelines: ReportTimeline[], year: number): AnnualReport {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const inYear = (at: string) => {
    const t = new Date(at).getTime();
    return t >= start && t < end;
  };
  const received = timelines.filter((t) => inYear(t.opened));
  const byMonth = Array.from({ length: 12 }, () => 0);
  for (const t of received)
    byMonth[new Date(t.opened).getUTCMonth()] = (byMonth[new Date(t.opened).getUTCMonth()] ?? 0) + 1;

  const load = new Map<string, { login: string; owned: number; tookPart: number }>();
  const entry = (login: string) => {
    const key = login.toLowerCase();
    const found = load.get(key) ?? { login, owned: 0, tookPart: 0 };
    load.set(key, found);
    return found;
  };
  for (const t of received) {
    if (t.owner) entry(t.owner).owned++;
    const who = new Set(
      [...(t.owner ? [t.owner] : []), ...t.participation.map((p) => p.login)].map((l) => l.toLowerCase()),
    );
    for (const key of who) {
      const login = t.participation.find((p) => p.login.toLowerCase() === key)?.login ?? t.owner ?? key;
      entry(login).tookPart++;
    }
  }

  return {
    year,
    received: received.length,
    receivedByMonth: byMonth,
    toAcknowledgement: durations(received, (t) => t.acknowledged),
    toOwner: durations(received, (t) => t.owned),
    toClose: durations(received, (t) => t.closed),
    openAtYearEnd: timelines.filter(
      (t) => new Date(t.opened).getTime() < end && (!t.closed || new Date(t.closed).getTime() >= end),
    ).length,
    load: [...load.values()].sort(
      (a, b) => b.owned - a.owned || b.tookPart - a.tookPart || a.login.localeCompare(b.login),
    ),
  };
}

/** `5.5 h` under two days, `3.2 days` above; `–` when no report reached the milestone. */
export function formatHours(hours: number | null): string {
  if (hours === null) return "–";
  return hours < 48 ? `${hours} h` : `${(hours / 24).toFixed(1)} days`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The report as Markdown; `perMember: false` is the public copy, without the load per member. */
export function renderAnnualReport(r: AnnualReport, options = { perMember: true }): string {
  const row = (label: string, d: Durations) =>
    `| ${label} | ${d.count} | ${formatHours(d.medianHours)} | ${formatHours(d.p90Hours)} |`;
  const sections = [
    `# Security team: annual report ${r.year}`,
    `- Reports received: **${r.received}**\n- Open at the end of the year: **${r.openAtYearEnd}**`,
    [
      "## Response times",
      "Measured from the report's arrival, over the year's reports that reached each step (nearest-rank percentiles).",
      "| from arrival to | reports | median | 90th percentile |\n| --- | ---: | ---: | ---: |",
    ].join("\n\n") +
      `\n${[row("acknowledgement", r.toAcknowledgement), row("owner", r.toOwner), row("close", r.toClose)].join("\n")}`,
    [
      "## Reports per month",
      [
        "```mermaid",
        "xychart-beta",
        `    title "Reports received in ${r.year}"`,
        `    x-axis [${MONTHS.join(", ")}]`,
        `    y-axis "reports" 0 --> ${Math.max(1, ...r.receivedByMonth)}`,
        `    bar [${r.receivedByMonth.join(", ")}]`,
        "```",
      ].join("\n"),
    ].join("\n\n"),
    options.perMember ? loadSection(r) : "Figures per member stay in the team's private copy of this report.",
  ];
  return `${sections.join("\n\n")}\n`;
}

function loadSection(r: AnnualReport): string {
  const owners = r.load.filter((l) => l.owned > 0);
  return [
    "## Load per member",
    r.load.length === 0
      ? "_No reports this year._"
      : `| member | owned | took part in |\n| --- | ---: | ---: |\n${r.load.map((l) => `| ${l.login} | ${l.owned} | ${l.tookPart} |`).join("\n")}`,
    owners.length === 0
      ? undefined
      : [
          "```mermaid",
          `pie title Reports owned in ${r.year}`,
          ...owners.map((l) => `    "${l.login}" : ${l.owned}`),
          "```",
        ].join("\n"),
  ]
    .filter(Boolean)
    .join("\n\n");
}
