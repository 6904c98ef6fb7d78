import { formatError } from "../charter/loader.js";
import type { CharterLocation, CharterRead } from "../charter/source.js";
import { MAX_REJUDGED } from "../governance/check.js";

/**
 * `security-team doctor`'s verdicts: pure functions of what was read from GitHub (`DoctorFacts`).
 * Each check passes or fails with what is wrong and the fix; a warning names a risk that does not
 * stop the app; a check that could not be read says why (and counts as failed: the operator cannot
 * know the installation works).
 */

export type CheckStatus = "passed" | "failed" | "warning";

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** A read that could not be made: one line, with the permission GitHub asked for when it said. */
export interface Unreadable {
  unreadable: string;
}

export type Read<T> = T | Unreadable;

export interface DoctorFacts {
  org: string;
  appId: number;
  manifest: { permissions: Record<string, string>; events: string[] };
  installation: { permissions: Record<string, string>; events: string[] };
  charter: { where: CharterLocation; read: CharterRead };
  /** Read only when the charter is valid. */
  team?: Read<{ slug: string; exists: boolean }>;
  tracker?: Read<{ fullName: string; exists: boolean; private: boolean }>;
  /** Private vulnerability reporting, per public repository the app can see. */
  reporting: Read<{ fullName: string; enabled: Read<boolean> }[]>;
  /** The required checks on the charter repository's default branch. */
  requiredChecks: Read<{
    repo: string;
    branch: string;
    required: {
      context: string;
      appId: number | null;
      source: "branch protection" | "ruleset";
      /** Whether a pull request must be up to date with the branch to merge; undefined when GitHub did not say. */
      strict?: boolean;
    }[];
  }>;
  /** Webhook deliveries to this installation that failed and were not redelivered successfully. */
  deliveries: Read<{ days: number; failed: { event: string; statusCode: number; at: string }[] }>;
  /** Workflow files in public repositories that run `security-team sweep`. */
  sweepWorkflows: Read<{ scanned: number; found: { fullName: string; path: string }[] }>;
}

const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 };

export function diagnose(facts: DoctorFacts): Check[] {
  return [
    permissionsCheck(facts),
    eventsCheck(facts),
    charterCheck(facts),
    teamCheck(facts),
    trackerCheck(facts),
    reportingCheck(facts),
    requiredCheckCheck(facts),
    deliveriesCheck(facts),
    ...sweepWorkflowChecks(facts),
  ];
}

function permissionsCheck({ manifest, installation }: DoctorFacts): Check {
  const missing = Object.entries(manifest.permissions)
    .filter(([name, level]) => (LEVELS[installation.permissions[name] ?? ""] ?? 0) < (LEVELS[level] ?? 0))
    .map(([name, level]) => `${name}: ${level} (granted: ${installation.permissions[name] ?? "none"})`);
  if (missing.length === 0) {
    return {
      name: "permissions",
      status: "passed",
      detail: "the installation grants every permission app.yml asks for",
    };
  }
  return {
    name: "permissions",
    status: "failed",
    detail: `the installation lacks ${missing.join(", ")}`,
    fix: "grant them in the app's settings (Permissions & events), then an org owner accepts the new permissions on the installation",
  };
}

function eventsCheck({ manifest, installation }: DoctorFacts): Check {
  const missing = manifest.events.filter((e) => !installation.events.includes(e));
  if (missing.length === 0) {
    return {
      name: "events",
      status: "passed",
      detail: "the installation receives every event app.yml subscribes to",
    };
  }
  return {
    name: "events",
    status: "failed",
    detail: `the installation does not receive ${missing.join(", ")}`,
    fix: "subscribe to them in the app's settings (Permissions & events), then an org owner accepts the change on the installation",
  };
}

function charterCheck({ charter }: DoctorFacts): Check {
  const where = `${charter.where.org}/${charter.where.repo}:${charter.where.path}`;
  if (charter.read.ok) {
    const c = charter.read.charter;
    return { name: "charter", status: "passed", detail: `${where} is valid (${c.members.length} members)` };
  }
  if ("missing" in charter.read) {
    return {
      name: "charter",
      status: "failed",
      detail: `no charter at ${where}`,
      fix: "commit one there (start from config/charter.example.yml), or set CHARTER_REPO/CHARTER_PATH to where it is",
    };
  }
  const errors = charter.read.errors.map(formatError);
  const shown = errors.slice(0, 3).join("; ");
  return {
    name: "charter",
    status: "failed",
    detail: `${where} is invalid: ${shown}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ""}`,
    fix: "fix it in a pull request; `security-team validate FILE` lists every problem as file:line:col",
  };
}

function skipped(name: string): Check {
  return { name, status: "failed", detail: "not checked: needs a valid charter" };
}

function unreadable(name: string, read: Unreadable): Check {
  return {
    name,
    status: "failed",
    detail: `could not check: ${read.unreadable}`,
    fix: "grant the permission GitHub names (the app's settings), or check this by hand",
  };
}

export function isUnreadable<T>(read: Read<T> | undefined): read is Unreadable {
  return typeof read === "object" && read !== null && "unreadable" in read;
}

function teamCheck({ org, team }: DoctorFacts): Check {
  if (!team) return skipped("team");
  if (isUnreadable(team)) return unreadable("team", team);
  if (team.exists) return { name: "team", status: "passed", detail: `${org}/${team.slug} exists` };
  return {
    name: "team",
    status: "failed",
    detail: `the team ${org}/${team.slug} named by the charter does not exist (renamed or deleted?)`,
    fix: `create it (\`gh api -X POST orgs/${org}/teams -f name=${team.slug} -f privacy=closed\`), or set \`team:\` in the charter to the team's current slug`,
  };
}

function trackerCheck({ tracker }: DoctorFacts): Check {
  if (!tracker) return skipped("tracker");
  if (isUnreadable(tracker)) return unreadable("tracker", tracker);
  if (!tracker.exists) {
    return {
      name: "tracker",
      status: "failed",
      detail: `the tracker ${tracker.fullName} does not exist (or the app is not installed on it)`,
      fix: `create it: \`gh repo create ${tracker.fullName} --private\`, and give the app access to it`,
    };
  }
  if (!tracker.private) {
    return {
      name: "tracker",
      status: "failed",
      detail: `the tracker ${tracker.fullName} is public: the app writes no report there`,
      fix: `make it private: \`gh repo edit ${tracker.fullName} --visibility private --accept-visibility-change-consequences\``,
    };
  }
  return { name: "tracker", status: "passed", detail: `${tracker.fullName} exists and is private` };
}

function reportingCheck({ reporting }: DoctorFacts): Check {
  if (isUnreadable(reporting)) return unreadable("private reporting", reporting);
  const off = reporting.filter((r) => r.enabled === false).map((r) => r.fullName);
  const unknown = reporting.filter((r) => isUnreadable(r.enabled));
  if (off.length > 0) {
    return {
      name: "private reporting",
      status: "failed",
      detail: `private vulnerability reporting is off in ${off.join(", ")}`,
      fix: "turn it on in each (Settings → Security → Private vulnerability reporting, or `gh api -X PUT repos/OWNER/REPO/private-vulnerability-reporting`)",
    };
  }
  const first = unknown[0]?.enabled;
  if (isUnreadable(first)) {
    return unreadable("private reporting", {
      unreadable: `${unknown.length} repositories: ${first.unreadable}`,
    });
  }
  return {
    name: "private reporting",
    status: "passed",
    detail: `on in all ${reporting.length} public repositories the app can see`,
  };
}

function requiredCheckCheck({ requiredChecks, appId }: DoctorFacts): Check {
  const name = "required check";
  if (isUnreadable(requiredChecks)) return unreadable(name, requiredChecks);
  const { repo, branch, required } = requiredChecks;
  const charter = required.filter((r) => r.context === "charter");
  const fix = `require the \`charter\` check on ${repo}@${branch} pinned to app id ${appId} (branch protection \`checks: [{context: "charter", app_id: ${appId}}]\` or a ruleset with \`integration_id: ${appId}\`; see the README, "Making the check required")`;
  const pinned = charter.filter((r) => r.appId === appId);
  if (pinned.length > 0) {
    const detail = `\`charter\` is required on ${repo}@${branch}, pinned to this app (${pinned[0]?.source})`;
    // Without "up to date", a run computed against an older tip can let a head merge: a charter push
    // judges the open pull requests again, but only so many.
    if (pinned.every((r) => r.strict === false)) {
      return {
        name,
        status: "warning",
        detail: `${detail}, but pull requests need not be up to date with ${branch}: a run computed before the charter last changed can still let one merge (a charter push judges at most ${MAX_REJUDGED} open pull requests again)`,
        fix: `require branches to be up to date before merging (branch protection \`required_status_checks.strict: true\`, or the ruleset's \`strict_required_status_checks_policy: true\`)`,
      };
    }
    return { name, status: "passed", detail };
  }
  if (charter.length > 0) {
    return {
      name,
      status: "failed",
      detail: `\`charter\` is required on ${repo}@${branch} but not pinned to this app: any app or workflow can post a passing \`charter\``,
      fix,
    };
  }
  return { name, status: "failed", detail: `\`charter\` is not a required check on ${repo}@${branch}`, fix };
}

function deliveriesCheck({ deliveries }: DoctorFacts): Check {
  const name = "webhook deliveries";
  if (isUnreadable(deliveries)) return unreadable(name, deliveries);
  const { days, failed } = deliveries;
  if (failed.length === 0) {
    return { name, status: "passed", detail: `no failed deliveries in the last ${days} days` };
  }
  const newest = failed[0] as (typeof failed)[number];
  return {
    name,
    status: "failed",
    detail: `${failed.length} webhook deliver${failed.length === 1 ? "y" : "ies"} failed in the last ${days} days (newest: ${newest.event} at ${newest.at}, HTTP ${newest.statusCode || "timeout"})`,
    fix: "find the cause in the server's log, then redeliver them from the app's settings (Advanced → Recent deliveries): every handler is idempotent",
  };
}

function sweepWorkflowChecks({ sweepWorkflows }: DoctorFacts): Check[] {
  const name = "sweep workflow";
  if (isUnreadable(sweepWorkflows)) return [unreadable(name, sweepWorkflows)];
  const { scanned, found } = sweepWorkflows;
  if (found.length === 0) {
    return [
      {
        name,
        status: "passed",
        detail: `no workflow runs \`security-team sweep\` in the ${scanned} public repositories the app can see`,
      },
    ];
  }
  return found.map((w) => ({
    name,
    status: "warning" as const,
    detail: `${w.fullName}/${w.path} runs \`security-team sweep\` in a public repository: anyone can read its Actions logs`,
    fix: `run it from a private repository (move the workflow and its secrets there), or make ${w.fullName} private`,
  }));
}
