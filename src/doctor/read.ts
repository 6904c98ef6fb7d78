import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { Runtime } from "../context.js";
import { acceptedPermissions, type GitHub, messageOf, statusOf } from "../core/executor.js";
import { type DoctorFacts, isUnreadable, type Read } from "./checks.js";

/** How far back failed webhook deliveries count. */
export const DELIVERY_DAYS = 7;

/** A workflow step that runs the sweep: `security-team sweep`, `npx security-team sweep`, `bin/security-team.js sweep`. */
const SWEEP_COMMAND = /security-team(?:\.js)?\s+sweep\b/;

interface RepoFacts {
  fullName: string;
  private: boolean;
  archived: boolean;
  fork: boolean;
}

export interface DoctorClients {
  /** The app itself (JWT): its webhook deliveries. */
  app: GitHub;
  installation: { id: number; permissions: Record<string, string | undefined>; events: string[] };
  /** The installation's runtime, read-only. */
  rt: Runtime;
  appId: number;
}

/** app.yml: the permissions and events the app asks for (shipped beside `lib/` and `src/`). */
export function appManifest(): DoctorFacts["manifest"] {
  const text = readFileSync(new URL("../../app.yml", import.meta.url), "utf8");
  const yml = parseYaml(text) as { default_permissions: Record<string, string>; default_events: string[] };
  return { permissions: yml.default_permissions, events: yml.default_events };
}

/** Everything `doctor` judges, read from GitHub one request after another. */
export async function readDoctorFacts(clients: DoctorClients): Promise<DoctorFacts> {
  const { rt, installation } = clients;
  const { octokit, org } = rt;
  const read = await rt.charter();
  const charter = read.ok ? read.charter : undefined;
  const repos = await attempt(() => installationRepos(octokit));
  const publicRepos = unreadableOr(repos, (all) => all.filter((r) => !r.private && !r.archived && !r.fork));
  return {
    org,
    appId: clients.appId,
    manifest: appManifest(),
    installation: {
      permissions: Object.fromEntries(
        Object.entries(installation.permissions).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      events: installation.events,
    },
    charter: { where: rt.where, read },
    ...(charter
      ? {
          team: await attempt(() => teamExists(octokit, org, charter.team)),
          tracker: await attempt(() => trackerFacts(octokit, charter.tracker)),
        }
      : {}),
    reporting: await mapRead(publicRepos, (list) => reportingFacts(octokit, list)),
    requiredChecks: await attempt(() => requiredChecks(octokit, rt.where.org, rt.where.repo)),
    deliveries: await attempt(() => failedDeliveries(clients.app, installation.id, rt.now)),
    sweepWorkflows: await mapRead(publicRepos, (list) => sweepWorkflows(octokit, list)),
  };
}

/** Runs a read; a failure becomes one line naming GitHub's answer (and the permission it asked for). */
async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return await read();
  } catch (error) {
    const status = statusOf(error);
    const permissions = acceptedPermissions(error);
    const message = messageOf(error).replace(/ - https:\/\/docs\.github\.com\S*$/, "");
    return {
      unreadable:
        status === undefined
          ? message
          : `GitHub answered ${status}${permissions ? ` (needs ${permissions})` : ""}: ${message}`,
    };
  }
}

function unreadableOr<T, U>(read: Read<T>, map: (value: T) => U): Read<U> {
  return isUnreadable(read) ? read : map(read);
}

async function mapRead<T, U>(read: Read<T>, next: (value: T) => Promise<U>): Promise<Read<U>> {
  return isUnreadable(read) ? read : attempt(() => next(read));
}

async function installationRepos(octokit: GitHub): Promise<RepoFacts[]> {
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  });
  return repos.map((r) => ({
    fullName: r.full_name,
    private: r.private,
    archived: r.archived ?? false,
    fork: r.fork,
  }));
}

async function notFoundAs<T>(read: () => Promise<T>, missing: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (statusOf(error) === 404) return missing;
    throw error;
  }
}

async function teamExists(octokit: GitHub, org: string, slug: string) {
  const exists = await notFoundAs(async () => {
    await octokit.rest.teams.getByName({ org, team_slug: slug });
    return true;
  }, false);
  return { slug, exists };
}

async function trackerFacts(octokit: GitHub, fullName: string) {
  const [owner = "", repo = ""] = fullName.split("/");
  return notFoundAs(
    async () => {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      return { fullName, exists: true, private: data.private };
    },
    { fullName, exists: false, private: false },
  );
}

async function reportingFacts(octokit: GitHub, repos: RepoFacts[]) {
  const facts: { fullName: string; enabled: Read<boolean> }[] = [];
  for (const { fullName } of repos) {
    const [owner = "", repo = ""] = fullName.split("/");
    const enabled = await attempt(async () => {
      const { data } = await octokit.rest.repos.checkPrivateVulnerabilityReporting({ owner, repo });
      return data.enabled;
    });
    facts.push({ fullName, enabled });
  }
  return facts;
}

async function requiredChecks(octokit: GitHub, owner: string, repo: string) {
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  const branch = repository.default_branch;
  const { data: protectedBranch } = await octokit.rest.repos.getBranch({ owner, repo, branch });
  const protection = protectedBranch.protection?.required_status_checks;
  const fromProtection = (protection?.checks ?? []).map((c) => ({
    context: c.context,
    appId: c.app_id,
    source: "branch protection" as const,
    ...(protection?.strict === undefined ? {} : { strict: protection.strict }),
  }));
  const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
    owner,
    repo,
    branch,
    per_page: 100,
  });
  const fromRulesets = rules.flatMap((rule) =>
    rule.type === "required_status_checks"
      ? (rule.parameters?.required_status_checks ?? []).map((c) => ({
          context: c.context,
          appId: c.integration_id ?? null,
          source: "ruleset" as const,
          strict: rule.parameters?.strict_required_status_checks_policy,
        }))
      : [],
  );
  return { repo: `${owner}/${repo}`, branch, required: [...fromProtection, ...fromRulesets] };
}

/**
 * The installation's deliveries of the last DELIVERY_DAYS days (the newest 100) that failed and were
 * not redelivered successfully since: GitHub lists redeliveries under the same `guid`, newest first.
 */
async function failedDeliveries(app: GitHub, installationId: number, now: Date) {
  const { data } = await app.rest.apps.listWebhookDeliveries({ per_page: 100 });
  const since = now.getTime() - DELIVERY_DAYS * 86_400_000;
  const latest = new Map<string, (typeof data)[number]>();
  for (const d of data) {
    if (d.installation_id !== installationId || Date.parse(d.delivered_at) < since) continue;
    if (!latest.has(d.guid)) latest.set(d.guid, d);
  }
  const failed = [...latest.values()]
    .filter((d) => d.status_code < 200 || d.status_code >= 300)
    .map((d) => ({
      event: d.action ? `${d.event}.${d.action}` : d.event,
      statusCode: d.status_code,
      at: d.delivered_at,
    }));
  return { days: DELIVERY_DAYS, failed };
}

/** Workflow files in public repositories that run the sweep (one listing per repository, one read per workflow). */
async function sweepWorkflows(octokit: GitHub, repos: RepoFacts[]) {
  const found: { fullName: string; path: string }[] = [];
  for (const { fullName } of repos) {
    const [owner = "", repo = ""] = fullName.split("/");
    const listing = await notFoundAs(async () => {
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path: ".github/workflows" });
      return Array.isArray(data) ? data : [];
    }, []);
    for (const entry of listing) {
      if (entry.type !== "file" || !/\.ya?ml$/.test(entry.name)) continue;
      const { data } = await octokit.rest.repos.getContent({
        owner,
        repo,
        path: entry.path,
        mediaType: { format: "raw" },
      });
      if (SWEEP_COMMAND.test(String(data))) found.push({ fullName, path: entry.path });
    }
  }
  return { scanned: repos.length, found };
}
