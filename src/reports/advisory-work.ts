import { sameLogin } from "../charter/facts.js";
import {
  type Action,
  type AdvisoryChanges,
  CREDIT_TYPES,
  type CreditType,
  type RepoRef,
} from "../core/actions.js";
import { marker } from "../core/markers.js";
import { inertLine } from "../core/people-text.js";
import { MIRROR_CLOSED_KEY } from "./tracking-markers.js";

/**
 * Advisory work from the tracker, as pure planners: each control-room command (`/accept`, `/severity`,
 * `/cwe`…) looks at the advisory as it is now and returns the one change to make, or why there is none.
 * The tracking issue's body shows the advisory as it is now, in a section only the app writes.
 */

/** The fields of a repository advisory (REST object) the control room reads. */
export interface AdvisoryNow {
  ghsa_id: string;
  html_url: string;
  state: string;
  severity?: string | null;
  cve_id?: string | null;
  cvss?: { vector_string?: string | null } | null;
  cvss_severities?: {
    cvss_v3?: { vector_string?: string | null } | null;
    cvss_v4?: { vector_string?: string | null } | null;
  } | null;
  cwe_ids?: string[] | null;
  cwes?: { cwe_id: string }[] | null;
  credits_detailed?: { user: { login: string }; type: string }[] | null;
  private_fork?: { full_name?: string; html_url?: string } | null;
}

/** A command's plan: the change to make and what to say once it is made, or only what to say. */
export type AdvisoryPlan = { change: Action; done: string } | { unchanged: string };

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

const MAX_CWES = 20;
const MAX_VECTOR = 300;

/** Allowed values of each CVSS metric, base metrics first (they are required), per version. */
const CVSS_31_BASE: Record<string, string> = {
  AV: "NALP",
  AC: "LH",
  PR: "NLH",
  UI: "NR",
  S: "UC",
  C: "NLH",
  I: "NLH",
  A: "NLH",
};
const CVSS_31_OPTIONAL: Record<string, string> = {
  E: "XUPFH",
  RL: "XOTWU",
  RC: "XURC",
  CR: "XLMH",
  IR: "XLMH",
  AR: "XLMH",
  MAV: "XNALP",
  MAC: "XLH",
  MPR: "XNLH",
  MUI: "XNR",
  MS: "XUC",
  MC: "XNLH",
  MI: "XNLH",
  MA: "XNLH",
};
const CVSS_40_BASE: Record<string, string> = {
  AV: "NALP",
  AC: "LH",
  AT: "NP",
  PR: "NLH",
  UI: "NPA",
  VC: "HLN",
  VI: "HLN",
  VA: "HLN",
  SC: "HLN",
  SI: "HLN",
  SA: "HLN",
};
const CVSS_40_OPTIONAL: Record<string, string> = {
  E: "XAPU",
  CR: "XHML",
  IR: "XHML",
  AR: "XHML",
  MAV: "XNALP",
  MAC: "XLH",
  MAT: "XNP",
  MPR: "XNLH",
  MUI: "XNPA",
  MVC: "XHLN",
  MVI: "XHLN",
  MVA: "XHLN",
  MSC: "XHLN",
  MSI: "XSHLN",
  MSA: "XSHLN",
  S: "XNP",
  AU: "XNY",
  R: "XAUI",
  V: "XDC",
  RE: "XLMH",
};
const CVSS_40_URGENCY = ["X", "Clear", "Green", "Amber", "Red"];

/**
 * Why a CVSS vector is not valid CVSS 3.1 or 4.0 syntax, or undefined when it is. Checks the prefix,
 * that every base metric is present once, and that each metric and value exists in that version.
 */
export function cvssProblem(vector: string): string | undefined {
  if (vector.length > MAX_VECTOR) return `a CVSS vector is at most ${MAX_VECTOR} characters`;
  const [prefix, ...parts] = vector.split("/");
  const version = prefix === "CVSS:3.1" ? "3.1" : prefix === "CVSS:4.0" ? "4.0" : undefined;
  if (!version) return "a CVSS vector starts with `CVSS:3.1/` or `CVSS:4.0/`";
  const base = version === "3.1" ? CVSS_31_BASE : CVSS_40_BASE;
  const optional = version === "3.1" ? CVSS_31_OPTIONAL : CVSS_40_OPTIONAL;
  const seen = new Set<string>();
  for (const part of parts) {
    const [metric = "", value = "", extra] = part.split(":");
    if (extra !== undefined || !metric || !value) return `\`${inertLine(part)}\` is not \`METRIC:VALUE\``;
    if (seen.has(metric)) return `${inertLine(metric)} appears twice`;
    seen.add(metric);
    if (version === "4.0" && metric === "U") {
      if (!CVSS_40_URGENCY.includes(value)) return `U cannot be \`${inertLine(value)}\` in CVSS 4.0`;
      continue;
    }
    const allowed = base[metric] ?? optional[metric];
    if (allowed === undefined) return `${inertLine(metric)} is not a CVSS ${version} metric`;
    if (value.length !== 1 || !allowed.includes(value))
      return `${metric} cannot be \`${inertLine(value)}\` in CVSS ${version} (one of ${[...allowed].join(", ")})`;
  }
  const missing = Object.keys(base).filter((m) => !seen.has(m));
  if (missing.length > 0)
    return `the base metric${missing.length > 1 ? "s" : ""} ${missing.join(", ")} missing`;
  return undefined;
}

/** `CWE-79 cwe-89` → `["CWE-79", "CWE-89"]`, or the problem with the first id that is not a CWE id. */
export function parseCwes(args: string[]): { ids: string[] } | { problem: string } {
  if (args.length === 0) return { problem: "name at least one CWE id, like `CWE-79`" };
  if (args.length > MAX_CWES) return { problem: `at most ${MAX_CWES} CWE ids at once` };
  const ids: string[] = [];
  for (const arg of args) {
    const match = /^CWE-([1-9]\d{0,5})$/i.exec(arg.replace(/,$/, ""));
    if (!match) return { problem: `\`${inertLine(arg.slice(0, 40))}\` is not a CWE id (like \`CWE-79\`)` };
    const id = `CWE-${match[1]}`;
    if (!ids.includes(id)) ids.push(id);
  }
  return { ids };
}

export function cvssVectorOf(a: AdvisoryNow): string | undefined {
  return (
    a.cvss_severities?.cvss_v4?.vector_string ??
    a.cvss_severities?.cvss_v3?.vector_string ??
    a.cvss?.vector_string ??
    undefined
  );
}

export function cwesOf(a: AdvisoryNow): string[] {
  return a.cwe_ids ?? (a.cwes ?? []).map((c) => c.cwe_id);
}

export function creditsOf(a: AdvisoryNow): { login: string; type: CreditType }[] {
  return (a.credits_detailed ?? []).map((c) => ({
    login: c.user.login,
    type: (CREDIT_TYPES as readonly string[]).includes(c.type) ? (c.type as CreditType) : "other",
  }));
}

const link = (a: AdvisoryNow) => `[${a.ghsa_id}](${a.html_url})`;

function update(repo: RepoRef, a: AdvisoryNow, changes: AdvisoryChanges, why: string): Action {
  return { kind: "advisory.update", repo, ghsaId: a.ghsa_id, changes, why };
}

export function planAccept(repo: RepoRef, a: AdvisoryNow, by: string): AdvisoryPlan {
  if (a.state !== "triage") return { unchanged: `${link(a)} is already \`${a.state}\`: nothing to accept.` };
  return {
    change: update(repo, a, { state: "draft" }, `@${by} accepted the report`),
    done: `accepted ${link(a)}: triage → draft.`,
  };
}

export function planReject(repo: RepoRef, a: AdvisoryNow, by: string, reason: string): AdvisoryPlan {
  if (a.state !== "triage" && a.state !== "draft")
    return { unchanged: `${link(a)} is \`${a.state}\`: nothing to reject.` };
  const why = reason ? ` Reason:\n\n> ${inertLine(reason.slice(0, 1000))}` : "";
  return {
    change: update(repo, a, { state: "closed" }, `@${by} rejected the report`),
    done: `rejected ${link(a)}: the advisory is closed, and so is this issue.${why}\n\n${marker(MIRROR_CLOSED_KEY)}`,
  };
}

export function planSeverity(repo: RepoRef, a: AdvisoryNow, by: string, level: string): AdvisoryPlan {
  const severity = SEVERITIES.find((s) => s === level.toLowerCase());
  if (!severity) return { unchanged: `usage: \`/severity low|medium|high|critical\`. Nothing changed.` };
  if (a.severity === severity && !cvssVectorOf(a))
    return { unchanged: `${link(a)} already has severity ${severity}.` };
  return {
    change: update(repo, a, { severity }, `@${by} set the severity`),
    done: `set the severity of ${link(a)} to **${severity}** (it was ${a.severity ?? "not set"}).`,
  };
}

export function planCvss(repo: RepoRef, a: AdvisoryNow, by: string, vector: string): AdvisoryPlan {
  if (!vector)
    return { unchanged: "usage: `/cvss CVSS:3.1/AV:N/AC:L/...` or `/cvss CVSS:4.0/...`. Nothing changed." };
  const problem = cvssProblem(vector);
  if (problem) return { unchanged: `that is not a valid CVSS vector: ${problem}. Nothing changed.` };
  if (cvssVectorOf(a) === vector) return { unchanged: `${link(a)} already has that CVSS vector.` };
  return {
    change: update(repo, a, { cvss_vector_string: vector }, `@${by} set the CVSS vector`),
    done: `set the CVSS vector of ${link(a)} to \`${vector}\`.`,
  };
}

/** Adds CWE ids; the ids already on the advisory stay (GitHub replaces the list whole). */
export function planCwes(repo: RepoRef, a: AdvisoryNow, by: string, args: string[]): AdvisoryPlan {
  const parsed = parseCwes(args);
  if ("problem" in parsed) return { unchanged: `${parsed.problem}. Nothing changed.` };
  const current = cwesOf(a);
  const added = parsed.ids.filter((id) => !current.some((c) => c.toUpperCase() === id));
  if (added.length === 0) return { unchanged: `${link(a)} already lists ${parsed.ids.join(", ")}.` };
  const all = [...current, ...added];
  return {
    change: update(repo, a, { cwe_ids: all }, `@${by} added CWE ids`),
    done: `added ${added.join(", ")} to ${link(a)} (CWEs now: ${all.join(", ")}).`,
  };
}

/** Adds a credit; every credit already on the advisory stays (GitHub replaces the list whole). */
export function planCredit(
  repo: RepoRef,
  a: AdvisoryNow,
  by: string,
  login: string,
  type: string | undefined,
): AdvisoryPlan {
  const kind = (type ?? "finder").toLowerCase();
  if (!(CREDIT_TYPES as readonly string[]).includes(kind))
    return {
      unchanged: `\`${inertLine(kind.slice(0, 40))}\` is not a credit type (one of ${CREDIT_TYPES.join(", ")}). Nothing changed.`,
    };
  const current = creditsOf(a);
  if (current.some((c) => sameLogin(c.login, login) && c.type === kind))
    return { unchanged: `@${login} is already credited as ${kind} on ${link(a)}.` };
  const all = [...current, { login, type: kind as CreditType }];
  return {
    change: update(repo, a, { credits: all }, `@${by} credited @${login}`),
    done: `credited @${login} as ${kind} on ${link(a)} (credits now: ${all
      .map((c) => `@${c.login} (${c.type})`)
      .join(", ")}).`,
  };
}

export function planCve(repo: RepoRef, a: AdvisoryNow, by: string): AdvisoryPlan {
  if (a.cve_id) return { unchanged: `${link(a)} already has ${a.cve_id}.` };
  return {
    change: { kind: "advisory.requestCve", repo, ghsaId: a.ghsa_id, why: `@${by} asked for a CVE id` },
    done: `asked GitHub for a CVE id for ${link(a)}; GitHub reviews the request and the id appears on the advisory.`,
  };
}

export function planFork(repo: RepoRef, a: AdvisoryNow, by: string): AdvisoryPlan {
  if (a.private_fork?.html_url)
    return { unchanged: `${link(a)} already has its private fork: ${a.private_fork.html_url}` };
  return {
    change: {
      kind: "advisory.createFork",
      repo,
      ghsaId: a.ghsa_id,
      why: `@${by} asked for the private fork`,
    },
    done: `created the temporary private fork of ${link(a)}`,
  };
}

/** What `/publish` still needs on the advisory, or an empty list. */
export function missingForPublish(a: AdvisoryNow): string[] {
  return a.severity || cvssVectorOf(a)
    ? []
    : ["a severity (`/severity LEVEL`) or a CVSS vector (`/cvss VECTOR`)"];
}

export function planPublish(repo: RepoRef, a: AdvisoryNow, by: string): AdvisoryPlan {
  if (a.state === "published") return { unchanged: `${link(a)} is already published.` };
  if (a.state !== "draft")
    return {
      unchanged: `${link(a)} is \`${a.state}\`: only a draft can be published (\`/accept\` it first).`,
    };
  const missing = missingForPublish(a);
  if (missing.length > 0)
    return { unchanged: `${link(a)} cannot be published yet: it needs ${missing.join(" and ")}.` };
  return {
    change: update(repo, a, { state: "published" }, `@${by} published the advisory`),
    done: `published ${link(a)}.`,
  };
}

const STATUS_BEGIN = marker("advisory-now");
const STATUS_END = marker("advisory-now-end");

/** The advisory as it is now, as the tracking issue shows it. Everything GitHub returns is neutralised. */
export function statusSection(a: AdvisoryNow): string {
  const credits = creditsOf(a);
  const cwes = cwesOf(a);
  const vector = cvssVectorOf(a);
  return [
    STATUS_BEGIN,
    "### The advisory now",
    "",
    "| | |",
    "| --- | --- |",
    `| State | ${inertLine(a.state)} |`,
    `| Severity | ${inertLine(a.severity ?? "not set")} |`,
    `| CVSS | ${vector ? `\`${inertLine(vector)}\`` : "not set"} |`,
    `| CVE | ${inertLine(a.cve_id ?? "none")} |`,
    `| CWEs | ${cwes.length > 0 ? inertLine(cwes.join(", ")) : "none"} |`,
    `| Credits | ${credits.length > 0 ? credits.map((c) => `\`${inertLine(c.login)}\` (${c.type})`).join(", ") : "none"} |`,
    `| Private fork | ${a.private_fork?.html_url ? inertLine(a.private_fork.html_url) : "none"} |`,
    STATUS_END,
  ].join("\n");
}

/** The body with its status section replaced (or appended when the body has none yet). */
export function withStatus(body: string, a: AdvisoryNow): string {
  const section = statusSection(a);
  const begin = body.indexOf(STATUS_BEGIN);
  const end = body.indexOf(STATUS_END);
  if (begin >= 0 && end > begin) return body.slice(0, begin) + section + body.slice(end + STATUS_END.length);
  return `${body.trimEnd()}\n\n${section}`;
}

/** Rewrites the tracking issue's body only when the advisory changed what it shows. */
export function planStatusRefresh(tracker: RepoRef, number: number, body: string, a: AdvisoryNow): Action[] {
  const next = withStatus(body, a);
  if (next === body) return [];
  return [{ kind: "issue.update", repo: tracker, number, body: next, why: `show ${a.ghsa_id} as it is now` }];
}

/**
 * What the reporter is told on the advisory (with `features.advisory_comments`) when a change is one
 * of the milestones they care about: once each, ever (the marker). No member's words go there.
 */
export function reporterNotice(change: Action): { key: string; text: string } | undefined {
  if (change.kind === "advisory.requestCve")
    return { key: "told:cve", text: "The security team asked GitHub for a CVE id for this advisory." };
  if (change.kind !== "advisory.update") return undefined;
  switch (change.changes.state) {
    case "draft":
      return {
        key: "told:accepted",
        text: "The security team accepted this report and is working on a fix. Thank you for reporting it.",
      };
    case "closed":
      return {
        key: "told:rejected",
        text: "The security team reviewed this report and closed it: they do not treat it as a vulnerability. Thank you for reporting it.",
      };
    case "published":
      return { key: "told:published", text: "This advisory is published. Thank you for reporting it." };
    default:
      return undefined;
  }
}
