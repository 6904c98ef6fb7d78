import nock from "nock";
import pino from "pino";
import { ProbotOctokit } from "probot";
import { createRuntime } from "../src/context.js";
import type { GitHub } from "../src/core/executor.js";
import { reconcileTeam } from "../src/membership/sync.js";
import { generatedCharter } from "./charter.js";

/**
 * Requests made by a team reconcile, counted at an in-process fake of GitHub (nock interceptors that
 * page like GitHub: 100 per page, Link headers). The floor is what any correct sync must read (every
 * member page, every invitation page, the charter) plus one write per change.
 */

const API = "https://api.github.com";
const TEAM = "/orgs/example/teams/security";
const PER_PAGE = 100;

interface TeamState {
  maintainers: string[];
  members: string[];
  pending: string[];
}

const pages = (n: number) => Math.max(1, Math.ceil(n / PER_PAGE));

function page(url: URL, all: string[]) {
  const p = Number(url.searchParams.get("page") ?? "1");
  const body = all.slice((p - 1) * PER_PAGE, p * PER_PAGE).map((login, i) => ({ login, id: p * 1000 + i }));
  const headers: Record<string, string> = {};
  if (p * PER_PAGE < all.length) {
    const next = new URL(url);
    next.searchParams.set("page", String(p + 1));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return { body, headers };
}

/** Serves the charter and the team; counts reads and writes. */
function fakeGitHub(charter: string, team: TeamState) {
  const counts = { reads: 0, writes: 0 };
  const scope = nock(API).persist();
  scope.on("request", (req: { method: string }) => {
    if (req.method === "GET") counts.reads++;
    else counts.writes++;
  });
  scope
    .get("/repos/example/.github/contents/.github%2Fsecurity-charter.yml")
    .query(true)
    .reply(200, charter)
    .get(`${TEAM}/members`)
    .query(true)
    .reply((uri) => {
      const url = new URL(uri, API);
      const role = url.searchParams.get("role");
      const { body, headers } = page(url, role === "maintainer" ? team.maintainers : team.members);
      return [200, body, headers];
    })
    // Read only by a sync that adds someone: failed invitations, open leave pull requests.
    .get("/orgs/example/failed_invitations")
    .query(true)
    .reply(200, [])
    .get("/repos/example/.github/pulls")
    .query(true)
    .reply(200, [])
    .get(`${TEAM}/invitations`)
    .query(true)
    .reply((uri) => {
      const { body, headers } = page(new URL(uri, API), team.pending);
      return [200, body.map((i) => ({ ...i, role: "direct_member" })), headers];
    })
    .put(/\/memberships\/[^/]+$/)
    .reply(200, { url: "", role: "member", state: "active" })
    .delete(/\/memberships\/[^/]+$/)
    .reply(204);
  return counts;
}

/** The team of `n` exactly as the generated charter wants it (member-0 is the chair). */
function inSync(n: number): TeamState {
  const logins = Array.from({ length: n }, (_, i) => `member-${i}`);
  return { maintainers: logins.slice(0, 1), members: logins.slice(1), pending: [] };
}

/** `k` changes: missing members, wrong roles and extra people in turn (removals stay under the valve). */
function drifted(n: number, k: number): TeamState {
  const team = inSync(n);
  for (let i = 0; i < k; i++) {
    const login = `member-${i + 1}`;
    if (i % 3 === 0) team.members = team.members.filter((m) => m !== login);
    else if (i % 3 === 1) {
      team.members = team.members.filter((m) => m !== login);
      team.maintainers.push(login);
    } else team.members.push(`former-${i}`);
  }
  return team;
}

async function countRequests(n: number, team: TeamState) {
  const counts = fakeGitHub(generatedCharter(n), team);
  const octokit = new ProbotOctokit({
    auth: "bench",
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as GitHub;
  const rt = createRuntime({
    octokit,
    log: pino({ level: "silent" }),
    org: "example",
    env: { SECURITY_TEAM_NOW: "2026-11-22T00:00:00Z" },
    self: async () => ({ login: "bench[bot]" }),
    dryRun: false,
  });
  const outcome = await reconcileTeam(rt);
  nock.cleanAll();
  // A plan that adds someone also reads the failed invitations and the open leave pull requests.
  const adds = outcome.plan.actions.some((a) => a.kind === "team.add") ? 2 : 0;
  const floorReads =
    pages(team.maintainers.length) + pages(team.members.length) + pages(team.pending.length) + 1 + adds;
  return { ...counts, floorReads, changes: outcome.plan.actions.length, status: outcome.status };
}

export interface SyncRequests {
  members: number;
  /** 0 for the no-op reconcile. */
  changes: number;
  reads: number;
  writes: number;
  floor: number;
}

/** No-op and `k`-change reconciles of teams of 10, 100 and 1,000 members. */
export async function syncRequests(k = 5): Promise<SyncRequests[]> {
  nock.disableNetConnect();
  const rows: SyncRequests[] = [];
  try {
    for (const n of [10, 100, 1000]) {
      const noop = await countRequests(n, inSync(n));
      if (noop.status !== "noop") throw new Error(`a team of ${n} in sync planned ${noop.changes} changes`);
      const changed = await countRequests(n, drifted(n, k));
      if (changed.changes !== k) throw new Error(`expected ${k} changes, planned ${changed.changes}`);
      rows.push(
        { members: n, changes: 0, reads: noop.reads, writes: noop.writes, floor: noop.floorReads },
        {
          members: n,
          changes: k,
          reads: changed.reads,
          writes: changed.writes,
          floor: changed.floorReads + k,
        },
      );
    }
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
  return rows;
}
