import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { exampleResponse, validateRequest } from "../helpers/openapi.js";
import { runGraphQL } from "./graphql.js";

/**
 * An in-memory GitHub that speaks, over HTTP on 127.0.0.1, the REST endpoints this app uses, with
 * GitHub's response shapes (the OpenAPI description's examples, overridden from state), Link-header
 * pagination and GitHub's semantics where the app depends on them (advisory collaborator lists are
 * replaced whole, a team membership for a non-member of the org is a pending invitation, labels that
 * exist answer 422...). Every request is checked against GitHub's OpenAPI description; an invalid one
 * is answered as GitHub would (404/422) and recorded in `invalidRequests`, which tests and the demo
 * must assert empty.
 *
 * Writes made through HTTP are the app's (the bot is the actor). What people do on GitHub goes
 * through `as(login)` in `people.ts`, which changes state and returns the webhook GitHub would send.
 *
 * State is plain maps, seeded with `addOrg`, `addRepo`, `setFile`, `addTeamMember`, `addIssue`,
 * `addAdvisory`... and read back with the same maps or `issue()`, `teamMembers()`, `advisory()`.
 */

export interface LoggedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  status: number;
  body?: unknown;
}

/** One line per change the app made: the transcript of "what happened on GitHub". */
export interface Change {
  at: string;
  actor: string;
  what: string;
}

export interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
}

export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface FakeComment {
  id: number;
  body: string;
  user: FakeUser;
  viaApp: boolean;
  created_at: string;
  updated_at: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  user: FakeUser;
  viaApp: boolean;
  comments: FakeComment[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  /** Set when this number is a pull request. */
  pull?: FakePull;
}

export interface FakePull {
  head: string;
  base: string;
  /** `owner/repo` of the fork the head branch lives in (its commits are reachable in the base repo too). */
  fork?: string;
  headSha: string;
  merged: boolean;
  /** Files changed by the pull request, with their new text (null when deleted). */
  files: Record<string, string | null>;
  reviews: FakeReview[];
}

export interface FakeReview {
  id: number;
  user: FakeUser;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  body: string;
  submitted_at: string;
  commit_id: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string; annotations: unknown[] };
  details_url?: string;
  started_at: string;
  completed_at: string | null;
}

export interface FakeRepo {
  owner: string;
  name: string;
  id: number;
  private: boolean;
  defaultBranch: string;
  /** Branch → head commit sha. */
  branches: Map<string, string>;
  /** Commit sha → the whole tree (path → text). Commits are immutable snapshots. */
  commits: Map<string, Map<string, string>>;
  /** Commit sha → its parent's sha (none for the first commit): what `history` walks. */
  parents: Map<string, string>;
  /**
   * Commit sha → who made it, as the commits API shows it: the login GitHub maps the commit's e-mail
   * to, and whether GitHub verified its signature (it signs the app's contents-API commits; a pushed
   * commit carrying the bot's e-mail shows the bot's login unverified). None: a person, unverified.
   */
  authors: Map<string, FakeCommitAuthor>;
  labels: Map<string, { name: string; color: string; description: string | null; id: number }>;
  issues: Map<number, FakeIssue>;
  checkRuns: FakeCheckRun[];
  advisories: Map<string, FakeAdvisory>;
  archived?: boolean;
  /** Private vulnerability reporting (Settings → Security); off unless set. */
  privateReporting?: boolean;
  /** Required checks on the default branch: branch protection (`app_id`) and rulesets (`integration_id`). */
  protectionChecks?: { context: string; app_id: number | null }[];
  rulesetChecks?: { context: string; integration_id: number | null }[];
  /** "Require branches to be up to date before merging" for those checks (unset: not said). */
  strictChecks?: boolean;
}

export interface FakeCommitAuthor {
  login: string;
  verified: boolean;
}

export interface FakeAdvisory {
  ghsa_id: string;
  state: "triage" | "draft" | "published" | "closed" | "withdrawn";
  summary: string;
  description: string;
  severity: "critical" | "high" | "medium" | "low" | null;
  author: string | null;
  collaborating_users: string[];
  collaborating_teams: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  published_at: string | null;
  /** The advisory's conversation (the preview comments API), oldest first. */
  comments: { id: number; author: string; body: string; created_at: string }[];
  /** Advisory work from the tracker: set through PATCH and the CVE and fork routes. */
  cve_id?: string | null;
  cvss_vector?: string | null;
  cwe_ids?: string[];
  credits?: { login: string; type: string }[];
  private_fork?: string | null;
}

export interface FakeTeam {
  slug: string;
  id: number;
  /** login (lowercase) → role. */
  members: Map<string, { login: string; role: "member" | "maintainer" }>;
  invitations: Map<string, { login: string; role: "member" | "maintainer"; created_at: string }>;
}

export interface FakeOrg {
  login: string;
  id: number;
  installationId: number;
  /** Logins (lowercase) that are members of the org: team additions of anyone else become invitations. */
  members: Set<string>;
  teams: Map<string, FakeTeam>;
  /** What the installation was granted; app.yml's permissions and events unless set. */
  permissions?: Record<string, string>;
  events?: string[];
  /** Org invitations that expired or failed (`GET /orgs/{org}/failed_invitations`), oldest first. */
  failedInvitations: { login: string; created_at: string; failed_at: string; failed_reason: string }[];
}

export interface FakeGitHubOptions {
  appId?: number;
  appSlug?: string;
  /** The clock stamped on everything created (`created_at`...). The demo moves it with the story. */
  now?: () => Date;
  /** Milliseconds every request waits before it is answered (GitHub-like latency, for races and benches). */
  latencyMs?: number;
}

type Handler = (req: Req) => Reply | Promise<Reply>;
interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  params: string[];
  body: Record<string, unknown>;
  accept: string;
  url: URL;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A GraphQL override: return `data`, or undefined to let the fake answer from its state. */
export type GraphQLResolver = (query: string, variables: Record<string, unknown>) => unknown;

const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});
const notFound = () => json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
const unprocessable = (message: string) =>
  json(422, { message, documentation_url: "https://docs.github.com/rest" });

export class FakeGitHub {
  readonly appId: number;
  readonly appSlug: string;
  readonly orgs = new Map<string, FakeOrg>();
  readonly repos = new Map<string, FakeRepo>();
  readonly requests: LoggedRequest[] = [];
  readonly invalidRequests: string[] = [];
  readonly changes: Change[] = [];
  readonly graphqlResolvers: GraphQLResolver[] = [];
  /** Transferred issues: `owner/repo#n` (lower case) → `owner/repo/issues/m` where it lives now. */
  readonly transfers = new Map<string, string>();
  /** The app's webhook deliveries as `GET /app/hook/deliveries` lists them (oldest first here). */
  readonly hookDeliveries: HookDelivery[] = [];
  /** Delivery ids the app asked to redeliver (`POST /app/hook/deliveries/{id}/attempts`). */
  readonly redeliveryRequests: number[] = [];
  /** What "Redeliver" does: set by a test to send the delivery to the app again. */
  hookRedeliver: ((delivery: HookDelivery) => Promise<void>) | undefined;
  now: () => Date;
  latencyMs: number;
  private nextId = 1000;
  /** Each installation token the fake issued, and the installation it was issued for. */
  private readonly tokens = new Map<string, number>();
  /** The installation whose token made each logged request (none: the app's JWT or no credential). */
  private readonly installationOfRequest = new WeakMap<LoggedRequest, number>();
  private server: Server | undefined;
  private routes: { method: string; regex: RegExp; handler: Handler }[] = [];
  private readonly denials: { method: string; path: RegExp; permissions: string }[] = [];
  baseUrl = "";

  constructor(options: FakeGitHubOptions = {}) {
    this.appId = options.appId ?? 123;
    this.appSlug = options.appSlug ?? "security-team";
    this.now = options.now ?? (() => new Date());
    this.latencyMs = options.latencyMs ?? 0;
    this.defineRoutes();
  }

  get botLogin(): string {
    return `${this.appSlug}[bot]`;
  }

  // ---------------------------------------------------------------- server

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", this.baseUrl);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const reply = await this.dispatch(method, url, body, req.headers).catch(
      (error: Error): Reply => json(500, { message: `fake GitHub failed: ${error.message}` }),
    );
    const logged: LoggedRequest = {
      method,
      path: `${url.pathname}${url.search}`,
      status: reply.status,
      ...(body === undefined ? {} : { body }),
    };
    this.requests.push(logged);
    const installation = this.tokens.get(
      String(req.headers.authorization ?? "").replace(/^(bearer|token)\s+/i, ""),
    );
    if (installation !== undefined) this.installationOfRequest.set(logged, installation);
    const headers: Record<string, string> = { ...reply.headers };
    if (typeof reply.body === "string") {
      res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(reply.body);
    } else if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
    } else {
      res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(reply.body));
    }
  }

  private async dispatch(
    method: string,
    url: URL,
    body: unknown,
    headers: IncomingMessage["headers"],
  ): Promise<Reply> {
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, ""); // GHE_HOST-style base URLs work too
    const errors = validateRequest(method, `${path}${url.search}`, body);
    if (errors.length > 0) {
      this.invalidRequests.push(...errors);
      return path === "/graphql" || !errors[0]?.includes("no such route")
        ? unprocessable(errors.join("; "))
        : notFound();
    }
    const auth = String(headers.authorization ?? "");
    const appRoute =
      path === "/app" || path.startsWith("/app/") || /^\/orgs\/[^/]+\/installation$/.test(path);
    const credential = auth.replace(/^(bearer|token)\s+/i, "");
    const authorized = appRoute ? credential.split(".").length === 3 : this.tokens.has(credential);
    if (!authorized) {
      return json(401, { message: appRoute ? "A JSON web token could not be decoded" : "Bad credentials" });
    }
    const denied = this.denials.find((d) => d.method === method && d.path.test(path));
    if (denied) {
      return json(
        403,
        {
          message: "Resource not accessible by integration",
          documentation_url: "https://docs.github.com/rest",
        },
        { "x-accepted-github-permissions": denied.permissions },
      );
    }
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.regex.exec(path);
      if (!match) continue;
      return route.handler({
        method,
        path,
        query: url.searchParams,
        params: match.slice(1).map(decodeURIComponent),
        body: (body ?? {}) as Record<string, unknown>,
        accept: String(headers.accept ?? ""),
        url,
      });
    }
    const message = `${method} ${path}: GitHub has this route but the fake does not serve it`;
    this.invalidRequests.push(message);
    return json(501, { message });
  }

  private on(method: string, template: string, handler: Handler): void {
    const regex = new RegExp(
      `^${template.replace(/\{\+[^}]+\}/g, "(.+)").replace(/\{[^}]+\}/g, "([^/]+)")}$`,
    );
    this.routes.push({ method, regex, handler });
  }

  // ---------------------------------------------------------------- seeding and reading state

  /**
   * Answers matching requests as GitHub does when the installation lacks a permission: 403 "Resource
   * not accessible by integration" with `X-Accepted-GitHub-Permissions: <permissions>`.
   */
  /** GitHub's record of one attempt to deliver a webhook to the app. */
  recordDelivery(
    delivery: {
      guid: string;
      event: string;
      action?: string;
      status_code: number;
      delivered_at?: string;
      installation_id?: number;
    },
    redelivery = false,
  ): HookDelivery {
    const row: HookDelivery = {
      id: this.id(),
      guid: delivery.guid,
      delivered_at:
        delivery.delivered_at ??
        this.now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      redelivery,
      duration: 0.1,
      status: delivery.status_code >= 200 && delivery.status_code < 300 ? "OK" : "Invalid HTTP Response: 502",
      status_code: delivery.status_code,
      event: delivery.event,
      action: delivery.action ?? null,
      installation_id: delivery.installation_id ?? null,
      repository_id: null,
    };
    this.hookDeliveries.push(row);
    return row;
  }

  /** Returns a function that grants the permission again. */
  denyPermission(method: string, path: RegExp, permissions: string): () => void {
    const denial = { method: method.toUpperCase(), path, permissions };
    this.denials.push(denial);
    return () => {
      this.denials.splice(this.denials.indexOf(denial), 1);
    };
  }

  addOrg(login: string, options: { installationId?: number; members?: string[] } = {}): FakeOrg {
    const org: FakeOrg = {
      login,
      id: this.id(),
      installationId: options.installationId ?? 42,
      members: new Set((options.members ?? []).map((m) => m.toLowerCase())),
      teams: new Map(),
      failedInvitations: [],
    };
    this.orgs.set(login.toLowerCase(), org);
    return org;
  }

  addOrgMembers(org: string, logins: string[]): void {
    for (const login of logins) this.org(org).members.add(login.toLowerCase());
  }

  addTeam(org: string, slug: string): FakeTeam {
    const team: FakeTeam = { slug, id: this.id(), members: new Map(), invitations: new Map() };
    this.org(org).teams.set(slug.toLowerCase(), team);
    return team;
  }

  /** Puts someone in a team directly (seeding; no webhook). They become an org member too. */
  addTeamMember(org: string, slug: string, login: string, role: "member" | "maintainer" = "member"): void {
    this.org(org).members.add(login.toLowerCase());
    this.team(org, slug).members.set(login.toLowerCase(), { login, role });
  }

  teamMembers(org: string, slug: string): { login: string; role: string }[] {
    return [...this.team(org, slug).members.values()].sort((a, b) => a.login.localeCompare(b.login));
  }

  teamInvitations(org: string, slug: string): { login: string; role: string }[] {
    return [...this.team(org, slug).invitations.values()];
  }

  /** GitHub's 7 days pass: `login`'s pending invitation expires (it leaves every team's pending list). */
  expireInvitation(org: string, login: string): void {
    const key = login.toLowerCase();
    for (const team of this.org(org).teams.values()) {
      const invitation = team.invitations.get(key);
      if (!invitation) continue;
      team.invitations.delete(key);
      this.org(org).failedInvitations.push({
        login: invitation.login,
        created_at: invitation.created_at,
        failed_at: this.stamp(),
        failed_reason: "Invitation expired",
      });
    }
  }

  addRepo(fullName: string, options: { private?: boolean; defaultBranch?: string } = {}): FakeRepo {
    const [owner, name] = splitFullName(fullName);
    const defaultBranch = options.defaultBranch ?? "main";
    const sha = this.sha();
    const repo: FakeRepo = {
      owner,
      name,
      id: this.id(),
      private: options.private ?? false,
      defaultBranch,
      branches: new Map([[defaultBranch, sha]]),
      commits: new Map([[sha, new Map()]]),
      parents: new Map(),
      authors: new Map(),
      labels: new Map(),
      issues: new Map(),
      checkRuns: [],
      advisories: new Map(),
    };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  /**
   * Commits `text` at `path` on `branch` (default branch when omitted), made by `author` (a person,
   * unverified, when omitted); returns the new commit sha.
   */
  setFile(
    fullName: string,
    path: string,
    text: string | null,
    branch?: string,
    author?: FakeCommitAuthor,
  ): string {
    const repo = this.repo(fullName);
    const name = branch ?? repo.defaultBranch;
    const parent = repo.branches.get(name);
    if (!parent) throw new Error(`fake GitHub: no branch ${name} in ${fullName}`);
    const tree = new Map(repo.commits.get(parent));
    if (text === null) tree.delete(path);
    else tree.set(path, text);
    const sha = this.sha();
    repo.commits.set(sha, tree);
    repo.parents.set(sha, parent);
    if (author) repo.authors.set(sha, author);
    repo.branches.set(name, sha);
    return sha;
  }

  /** The file at `ref` (branch, `heads/branch`, or commit sha; default branch when omitted). */
  file(fullName: string, path: string, ref?: string): string | undefined {
    return this.tree(this.repo(fullName), ref)?.get(path);
  }

  /** Moves issue `number` of `from` into `to` (as GitHub's "Transfer issue"): the old URL redirects. */
  transferIssue(from: string, number: number, to: string): number {
    const source = this.repo(from).issues.get(number);
    if (!source) throw new Error(`fake GitHub: no issue ${from}#${number}`);
    this.repo(from).issues.delete(number);
    const { number: _number, user, ...rest } = source;
    const moved = this.addIssue(to, { ...rest, author: user.login });
    this.transfers.set(`${from}#${number}`.toLowerCase(), `${to}/issues/${moved.number}`);
    return moved.number;
  }

  addIssue(
    fullName: string,
    issue: Partial<Omit<FakeIssue, "user" | "number">> & { title: string; author?: string },
  ): FakeIssue {
    const repo = this.repo(fullName);
    const at = this.stamp();
    const author = issue.author ?? "octocat";
    const created: FakeIssue = {
      number: this.nextNumber(repo),
      body: "",
      state: "open",
      state_reason: null,
      labels: [],
      assignees: [],
      viaApp: author === this.botLogin,
      comments: [],
      created_at: at,
      updated_at: at,
      closed_at: null,
      closed_by: null,
      ...issue,
      user: this.user(author),
    };
    for (const label of created.labels) this.ensureLabel(repo, label);
    repo.issues.set(created.number, created);
    return created;
  }

  issue(fullName: string, number: number): FakeIssue {
    const found = this.repo(fullName).issues.get(number);
    if (!found) throw new Error(`fake GitHub: no issue #${number} in ${fullName}`);
    return found;
  }

  issues(fullName: string): FakeIssue[] {
    return [...this.repo(fullName).issues.values()].filter((i) => !i.pull);
  }

  addAdvisory(
    fullName: string,
    advisory: Partial<FakeAdvisory> & { summary: string; author?: string | null },
  ): FakeAdvisory {
    const repo = this.repo(fullName);
    const at = this.stamp();
    const created: FakeAdvisory = {
      ghsa_id: advisory.ghsa_id ?? ghsaId(),
      state: "triage",
      description: "",
      severity: null,
      author: null,
      collaborating_users: [],
      collaborating_teams: [],
      created_at: at,
      updated_at: at,
      closed_at: null,
      published_at: null,
      comments: [],
      ...advisory,
    };
    repo.advisories.set(created.ghsa_id, created);
    return created;
  }

  advisory(fullName: string, ghsaId: string): FakeAdvisory {
    const found = this.repo(fullName).advisories.get(ghsaId);
    if (!found) throw new Error(`fake GitHub: no advisory ${ghsaId} in ${fullName}`);
    return found;
  }

  checkRuns(fullName: string, headSha?: string): FakeCheckRun[] {
    return this.repo(fullName).checkRuns.filter((r) => headSha === undefined || r.head_sha === headSha);
  }

  /** Requests that changed something (everything but GET), as `METHOD path status`. */
  /** The installation whose token made `request` (one of `requests`); undefined for the app's JWT. */
  installationOf(request: LoggedRequest): number | undefined {
    return this.installationOfRequest.get(request);
  }

  writes(): LoggedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && r.path !== "/graphql" && !isTokenRequest(r));
  }

  // ---------------------------------------------------------------- helpers shared with people.ts

  org(login: string): FakeOrg {
    const found = this.orgs.get(login.toLowerCase());
    if (!found) throw new Error(`fake GitHub: no org ${login}`);
    return found;
  }

  team(org: string, slug: string): FakeTeam {
    const found = this.org(org).teams.get(slug.toLowerCase());
    if (!found) throw new Error(`fake GitHub: no team ${org}/${slug}`);
    return found;
  }

  repo(fullName: string): FakeRepo {
    const found = this.repos.get(fullName.toLowerCase());
    if (!found) throw new Error(`fake GitHub: no repository ${fullName}`);
    return found;
  }

  id(): number {
    return this.nextId++;
  }

  sha(): string {
    return randomBytes(20).toString("hex");
  }

  stamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }

  nextNumber(repo: FakeRepo): number {
    return Math.max(0, ...repo.issues.keys()) + 1;
  }

  record(actor: string, what: string): void {
    this.changes.push({ at: this.stamp(), actor, what });
  }

  ensureLabel(repo: FakeRepo, name: string): void {
    if (!repo.labels.has(name.toLowerCase()))
      repo.labels.set(name.toLowerCase(), { name, color: "ededed", description: null, id: this.id() });
  }

  tree(repo: FakeRepo, ref?: string): Map<string, string> | undefined {
    const name = (ref ?? repo.defaultBranch).replace(/^refs\//, "").replace(/^heads\//, "");
    const sha = repo.branches.get(name) ?? name;
    return repo.commits.get(sha);
  }

  /** The entries of a directory in `tree` (files and subdirectories), as the contents API lists them. */
  directoryJson(tree: Map<string, string>, dir: string): Record<string, unknown>[] {
    const prefix = `${dir.replace(/\/$/, "")}/`;
    const entries = new Map<string, "file" | "dir">();
    for (const path of tree.keys()) {
      if (!path.startsWith(prefix)) continue;
      const [name, ...rest] = path.slice(prefix.length).split("/");
      if (name) entries.set(name, rest.length > 0 ? "dir" : "file");
    }
    return [...entries].map(([name, type]) => ({
      type,
      name,
      path: `${prefix}${name}`,
      sha: blobSha(tree.get(`${prefix}${name}`) ?? name),
      size: Buffer.byteLength(tree.get(`${prefix}${name}`) ?? ""),
      url: null,
      git_url: null,
      html_url: null,
      download_url: null,
      _links: { self: "", git: null, html: null },
    }));
  }

  // ---------------------------------------------------------------- GitHub's shapes

  user(login: string): FakeUser {
    const bot = login.endsWith("[bot]");
    return { login, id: loginId(login), type: bot ? "Bot" : "User" };
  }

  userJson(login: string): Record<string, unknown> {
    const base = (exampleResponse("issues/create", "201") as { user: Record<string, unknown> }).user;
    const u = this.user(login);
    return {
      ...base,
      login: u.login,
      id: u.id,
      node_id: `U_${u.id}`,
      type: u.type,
      url: `${this.baseUrl}/users/${encodeURIComponent(login)}`,
      html_url: `https://github.com/${login}`,
    };
  }

  appJson(): Record<string, unknown> {
    return {
      ...(exampleResponse("apps/get-authenticated") as Record<string, unknown>),
      id: this.appId,
      slug: this.appSlug,
      name: "Security Team",
    };
  }

  repoJson(repo: FakeRepo): Record<string, unknown> {
    const full = `${repo.owner}/${repo.name}`;
    return {
      ...(exampleResponse("repos/get") as Record<string, unknown>),
      id: repo.id,
      name: repo.name,
      full_name: full,
      owner: { ...this.userJson(repo.owner), type: "Organization" },
      private: repo.private,
      visibility: repo.private ? "private" : "public",
      archived: repo.archived ?? false,
      fork: false,
      default_branch: repo.defaultBranch,
      html_url: `https://github.com/${full}`,
      url: `${this.baseUrl}/repos/${full}`,
    };
  }

  labelJson(repo: FakeRepo, name: string): Record<string, unknown> {
    const label = repo.labels.get(name.toLowerCase()) ?? { name, color: "ededed", description: null, id: 0 };
    return {
      ...(exampleResponse("issues/create-label", "201") as Record<string, unknown>),
      ...label,
      node_id: `LA_${label.id}`,
      default: false,
      url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    };
  }

  issueJson(repo: FakeRepo, issue: FakeIssue): Record<string, unknown> {
    const full = `${repo.owner}/${repo.name}`;
    const base = exampleResponse("issues/create", "201") as Record<string, unknown>;
    const { pull_request: _examplePull, ...rest } = base;
    return {
      ...rest,
      id: repo.id * 100_000 + issue.number,
      node_id: `I_${repo.id}_${issue.number}`,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state_reason,
      user: this.userJson(issue.user.login),
      labels: issue.labels.map((l) => this.labelJson(repo, l)),
      assignee: issue.assignees[0] ? this.userJson(issue.assignees[0]) : null,
      assignees: issue.assignees.map((a) => this.userJson(a)),
      comments: issue.comments.length,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      closed_by: issue.closed_by ? this.userJson(issue.closed_by) : null,
      milestone: null,
      author_association: issue.viaApp ? "NONE" : "MEMBER",
      performed_via_github_app: issue.viaApp ? this.appJson() : null,
      html_url: `https://github.com/${full}/issues/${issue.number}`,
      url: `${this.baseUrl}/repos/${full}/issues/${issue.number}`,
      repository_url: `${this.baseUrl}/repos/${full}`,
      ...(issue.pull
        ? {
            pull_request: {
              url: `${this.baseUrl}/repos/${full}/pulls/${issue.number}`,
              html_url: `https://github.com/${full}/pull/${issue.number}`,
              diff_url: `https://github.com/${full}/pull/${issue.number}.diff`,
              patch_url: `https://github.com/${full}/pull/${issue.number}.patch`,
            },
          }
        : {}),
    };
  }

  commentJson(repo: FakeRepo, issue: FakeIssue, comment: FakeComment): Record<string, unknown> {
    const full = `${repo.owner}/${repo.name}`;
    return {
      ...(exampleResponse("issues/create-comment", "201") as Record<string, unknown>),
      id: comment.id,
      node_id: `IC_${comment.id}`,
      body: comment.body,
      user: this.userJson(comment.user.login),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      author_association: comment.viaApp ? "NONE" : "MEMBER",
      performed_via_github_app: comment.viaApp ? this.appJson() : null,
      html_url: `https://github.com/${full}/issues/${issue.number}#issuecomment-${comment.id}`,
      url: `${this.baseUrl}/repos/${full}/issues/comments/${comment.id}`,
      issue_url: `${this.baseUrl}/repos/${full}/issues/${issue.number}`,
    };
  }

  pullJson(repo: FakeRepo, issue: FakeIssue): Record<string, unknown> {
    const pull = issue.pull as FakePull;
    const full = `${repo.owner}/${repo.name}`;
    const base = exampleResponse("pulls/get") as Record<string, Record<string, unknown>>;
    const issueJson = this.issueJson(repo, issue);
    return {
      ...base,
      id: issueJson.id,
      node_id: `PR_${issueJson.id}`,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      user: issueJson.user,
      labels: issueJson.labels,
      assignee: issueJson.assignee,
      assignees: issueJson.assignees,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      merged: pull.merged,
      merged_at: pull.merged ? issue.closed_at : null,
      merge_commit_sha: null,
      milestone: null,
      draft: false,
      head: {
        ...base.head,
        ref: pull.head,
        sha: pull.headSha,
        repo: { ...this.repoJson(pull.fork ? this.repo(pull.fork) : repo), fork: pull.fork !== undefined },
        label: `${pull.fork ? this.repo(pull.fork).owner : repo.owner}:${pull.head}`,
      },
      base: {
        ...base.base,
        ref: pull.base,
        sha: repo.branches.get(pull.base) ?? "",
        repo: this.repoJson(repo),
        label: `${repo.owner}:${pull.base}`,
      },
      html_url: `https://github.com/${full}/pull/${issue.number}`,
      url: `${this.baseUrl}/repos/${full}/pulls/${issue.number}`,
      author_association: "MEMBER",
    };
  }

  reviewJson(repo: FakeRepo, issue: FakeIssue, review: FakeReview): Record<string, unknown> {
    return {
      ...((exampleResponse("pulls/list-reviews") as Record<string, unknown>[])[0] as Record<string, unknown>),
      id: review.id,
      node_id: `PRR_${review.id}`,
      user: this.userJson(review.user.login),
      body: review.body,
      state: review.state,
      submitted_at: review.submitted_at,
      commit_id: review.commit_id,
      author_association: "MEMBER",
      html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${issue.number}#pullrequestreview-${review.id}`,
    };
  }

  checkRunJson(repo: FakeRepo, run: FakeCheckRun): Record<string, unknown> {
    const base = exampleResponse("checks/create", "201") as Record<string, unknown>;
    return {
      ...base,
      id: run.id,
      node_id: `CR_${run.id}`,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      details_url: run.details_url ?? null,
      external_id: null,
      output: {
        title: run.output.title ?? null,
        summary: run.output.summary ?? null,
        text: run.output.text ?? null,
        annotations_count: run.output.annotations.length,
        annotations_url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}/annotations`,
      },
      app: this.appJson(),
      pull_requests: [],
      url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`,
    };
  }

  advisoryJson(repo: FakeRepo, a: FakeAdvisory): Record<string, unknown> {
    const full = `${repo.owner}/${repo.name}`;
    const org = this.orgs.get(repo.owner.toLowerCase());
    const teamBase = exampleResponse("teams/get-by-name") as Record<string, unknown>;
    return {
      ...(exampleResponse("security-advisories/get-repository-advisory") as Record<string, unknown>),
      ghsa_id: a.ghsa_id,
      cve_id: a.cve_id ?? null,
      identifiers: [{ type: "GHSA", value: a.ghsa_id }],
      summary: a.summary,
      description: a.description,
      severity: a.severity,
      state: a.state,
      author: a.author ? this.userJson(a.author) : null,
      publisher: null,
      created_at: a.created_at,
      updated_at: a.updated_at,
      closed_at: a.closed_at,
      published_at: a.published_at,
      withdrawn_at: null,
      submission: a.author ? { accepted: a.state !== "triage" } : null,
      cvss: a.cvss_vector ? { vector_string: a.cvss_vector, score: null } : null,
      cvss_severities: {
        cvss_v3: a.cvss_vector?.startsWith("CVSS:3") ? { vector_string: a.cvss_vector, score: null } : null,
        cvss_v4: a.cvss_vector?.startsWith("CVSS:4") ? { vector_string: a.cvss_vector, score: null } : null,
      },
      cwe_ids: a.cwe_ids ?? [],
      cwes: (a.cwe_ids ?? []).map((cwe_id) => ({ cwe_id, name: cwe_id })),
      credits: (a.credits ?? []).map((c) => ({ login: c.login, type: c.type })),
      credits_detailed: (a.credits ?? []).map((c) => ({
        user: this.userJson(c.login),
        type: c.type,
        state: "accepted",
      })),
      collaborating_users: a.collaborating_users.map((u) => this.userJson(u)),
      collaborating_teams: a.collaborating_teams.map((slug) => {
        const team = org?.teams.get(slug.toLowerCase());
        const { organization: _org, ...simple } = teamBase;
        return { ...simple, id: team?.id ?? 0, slug, name: slug, parent: null };
      }),
      private_fork: a.private_fork
        ? { ...this.repoJson(this.repo(a.private_fork)), html_url: `https://github.com/${a.private_fork}` }
        : null,
      html_url: `https://github.com/${full}/security/advisories/${a.ghsa_id}`,
      url: `${this.baseUrl}/repos/${full}/security-advisories/${a.ghsa_id}`,
    };
  }

  installationJson(org: FakeOrg): Record<string, unknown> {
    return {
      ...(exampleResponse("apps/get-org-installation") as Record<string, unknown>),
      id: org.installationId,
      app_id: this.appId,
      app_slug: this.appSlug,
      target_id: org.id,
      target_type: "Organization",
      account: { ...this.userJson(org.login), id: org.id, type: "Organization" },
      suspended_at: null,
      suspended_by: null,
      repository_selection: "all",
      permissions: org.permissions ?? manifest().default_permissions,
      events: org.events ?? manifest().default_events,
    };
  }

  // ---------------------------------------------------------------- routes

  private defineRoutes(): void {
    const repoOf = (req: Req) => this.repos.get(`${req.params[0]}/${req.params[1]}`.toLowerCase());
    const bot = () => this.botLogin;

    // Registered first: these literal paths would otherwise match `{number}`-style routes below.
    this.on("GET", "/repos/{owner}/{repo}/issues/comments", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const since = req.query.get("since");
      const all = [...repo.issues.values()]
        .flatMap((issue) => issue.comments.map((comment) => ({ issue, comment })))
        .filter(({ comment }) => !since || comment.updated_at >= normalize(since))
        .sort((a, b) => a.comment.id - b.comment.id);
      if (req.query.get("direction") === "desc") all.reverse();
      return this.page(
        req,
        all.map(({ issue, comment }) => this.commentJson(repo, issue, comment)),
      );
    });
    this.on("GET", "/repos/{owner}/{repo}/issues/comments/{id}", (req) => {
      const repo = repoOf(req);
      const found = repo && this.findComment(repo, Number(req.params[2]));
      return repo && found ? json(200, this.commentJson(repo, found.issue, found.comment)) : notFound();
    });
    // An installation token is not a user: GitHub refuses `GET /user` to it.
    this.on("GET", "/user", () => json(403, { message: "Resource not accessible by integration" }));

    // The app and its installations (JWT).
    this.on("GET", "/app", () => json(200, this.appJson()));
    this.on("GET", "/app/installations", (req) =>
      this.page(
        req,
        [...this.orgs.values()].map((o) => this.installationJson(o)),
      ),
    );
    // The app's webhook deliveries, newest first, and "Redeliver" (sent again to `hookUrl`).
    this.on("GET", "/app/hook/deliveries", (req) => this.page(req, [...this.hookDeliveries].reverse()));
    this.on("POST", "/app/hook/deliveries/{id}/attempts", (req) => {
      const original = this.hookDeliveries.find((d) => String(d.id) === req.params[0]);
      if (!original) return notFound();
      this.redeliveryRequests.push(original.id);
      void this.hookRedeliver?.(original);
      return json(202, {});
    });
    this.on("POST", "/app/installations/{id}/access_tokens", (req) => {
      const token = `ghs_fake${randomBytes(12).toString("hex")}`;
      this.tokens.set(token, Number(req.params[0]));
      const expires = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      return json(201, {
        ...(exampleResponse("apps/create-installation-access-token", "201") as Record<string, unknown>),
        token,
        expires_at: expires,
      });
    });
    this.on("GET", "/orgs/{org}/installation", (req) => {
      const org = this.orgs.get(String(req.params[0]).toLowerCase());
      return org ? json(200, this.installationJson(org)) : notFound();
    });

    // Installation health (`security-team doctor`).
    this.on("GET", "/installation/repositories", (req) => {
      const all = [...this.repos.values()].map((r) => this.repoJson(r));
      const { items, headers } = this.slice(req, all);
      return json(
        200,
        { total_count: all.length, repository_selection: "all", repositories: items },
        headers,
      );
    });
    this.on("GET", "/repos/{owner}/{repo}/private-vulnerability-reporting", (req) => {
      const repo = repoOf(req);
      return repo ? json(200, { enabled: repo.privateReporting ?? false }) : notFound();
    });
    this.on("GET", "/repos/{owner}/{repo}/branches/{branch}", (req) => {
      const repo = repoOf(req);
      const sha = repo?.branches.get(String(req.params[2]));
      if (!repo || !sha) return notFound();
      const checks = repo.protectionChecks ?? [];
      return json(200, {
        ...(exampleResponse("repos/get-branch") as Record<string, unknown>),
        name: req.params[2],
        commit: { sha, url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}/commits/${sha}` },
        protected: checks.length > 0,
        protection: {
          enabled: checks.length > 0,
          required_status_checks: {
            enforcement_level: checks.length > 0 ? "everyone" : "off",
            contexts: checks.map((c) => c.context),
            checks,
            ...(repo.strictChecks === undefined ? {} : { strict: repo.strictChecks }),
          },
        },
      });
    });
    this.on("GET", "/repos/{owner}/{repo}/rules/branches/{branch}", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const checks = repo.rulesetChecks ?? [];
      return this.page(
        req,
        checks.length === 0
          ? []
          : [
              {
                type: "required_status_checks",
                ruleset_source_type: "Repository",
                ruleset_source: `${repo.owner}/${repo.name}`,
                ruleset_id: 1,
                parameters: {
                  strict_required_status_checks_policy: repo.strictChecks ?? false,
                  required_status_checks: checks,
                },
              },
            ],
      );
    });

    // Repositories and contents.
    this.on("GET", "/repos/{owner}/{repo}", (req) => {
      const repo = repoOf(req);
      return repo ? json(200, this.repoJson(repo)) : notFound();
    });
    this.on("GET", "/repos/{owner}/{repo}/contents/{+path}", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const path = String(req.params[2]);
      const tree = this.tree(repo, req.query.get("ref") ?? undefined);
      const text = tree?.get(path);
      if (text === undefined) {
        const listing = tree ? this.directoryJson(tree, path) : [];
        return listing.length > 0 ? json(200, listing) : notFound();
      }
      if (/raw/.test(req.accept)) return { status: 200, body: text };
      return json(200, {
        ...(exampleResponse("repos/get-content") as Record<string, unknown>),
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(text),
        name: path.split("/").pop(),
        path,
        content: Buffer.from(text, "utf8").toString("base64"),
        sha: blobSha(text),
      });
    });
    this.on("PUT", "/repos/{owner}/{repo}/contents/{+path}", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const path = String(req.params[2]);
      const branch = String(req.body.branch ?? repo.defaultBranch);
      const current = this.tree(repo, branch)?.get(path);
      if (current !== undefined && req.body.sha !== blobSha(current))
        return json(409, { message: `${path} does not match ${req.body.sha}` });
      const text = Buffer.from(String(req.body.content), "base64").toString("utf8");
      const sha = this.setFile(`${repo.owner}/${repo.name}`, path, text, branch, {
        login: bot(),
        verified: true,
      });
      this.record(bot(), `committed ${path} on ${repo.name}@${branch}: "${req.body.message}"`);
      const base = exampleResponse("repos/create-or-update-file-contents", "201") as Record<
        string,
        Record<string, unknown>
      >;
      return json(current === undefined ? 201 : 200, {
        content: { ...base.content, path, sha: blobSha(text) },
        commit: { ...base.commit, sha },
      });
    });
    this.on("GET", "/repos/{owner}/{repo}/git/ref/{+ref}", (req) => {
      const repo = repoOf(req);
      const name = String(req.params[2]).replace(/^heads\//, "");
      const sha = repo?.branches.get(name);
      if (!repo || !sha) return notFound();
      return json(200, this.refJson(repo, name, sha));
    });
    this.on("POST", "/repos/{owner}/{repo}/git/refs", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const name = String(req.body.ref).replace(/^refs\/heads\//, "");
      if (repo.branches.has(name)) return unprocessable("Reference already exists");
      const sha = String(req.body.sha);
      if (!repo.commits.has(sha)) return unprocessable("Object does not exist");
      repo.branches.set(name, sha);
      this.record(bot(), `created branch ${repo.name}@${name}`);
      return json(201, this.refJson(repo, name, sha));
    });

    // Issues, comments, labels.
    this.on("POST", "/repos/{owner}/{repo}/issues", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const issue = this.addIssue(`${repo.owner}/${repo.name}`, {
        title: String(req.body.title),
        body: String(req.body.body ?? ""),
        labels: (req.body.labels as string[] | undefined) ?? [],
        assignees: (req.body.assignees as string[] | undefined) ?? [],
        author: bot(),
      });
      this.record(bot(), `opened ${repo.name}#${issue.number} "${issue.title}"${describeIssueExtras(issue)}`);
      return json(201, this.issueJson(repo, issue));
    });
    this.on("GET", "/repos/{owner}/{repo}/issues", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      return this.page(
        req,
        this.listIssues(repo, req.query).map((i) => this.issueJson(repo, i)),
      );
    });
    this.on("GET", "/repos/{owner}/{repo}/issues/{number}", (req) => {
      const repo = repoOf(req);
      const moved = this.transfers.get(`${req.params[0]}/${req.params[1]}#${req.params[2]}`.toLowerCase());
      // A transferred issue: GitHub answers 301 to where it lives now, and clients follow it.
      if (moved) return { status: 301, headers: { location: `${this.baseUrl}/repos/${moved}` } };
      const issue = repo?.issues.get(Number(req.params[2]));
      return repo && issue ? json(200, this.issueJson(repo, issue)) : notFound();
    });
    this.on("PATCH", "/repos/{owner}/{repo}/issues/{number}", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue) return notFound();
      const b = req.body;
      const said: string[] = [];
      if (typeof b.title === "string") issue.title = b.title;
      if (typeof b.body === "string") {
        issue.body = b.body;
        said.push("edited the body");
      }
      if (Array.isArray(b.assignees)) {
        issue.assignees = b.assignees as string[];
        said.push(`assignees → ${issue.assignees.map((a) => `@${a}`).join(", ") || "none"}`);
      }
      if (Array.isArray(b.labels)) {
        issue.labels = (b.labels as string[]).map(String);
        for (const l of issue.labels) this.ensureLabel(repo, l);
      }
      if (b.state === "closed" && issue.state !== "closed") {
        issue.state = "closed";
        issue.closed_at = this.stamp();
        issue.closed_by = bot();
        issue.state_reason = String(b.state_reason ?? "completed");
        said.push(`closed (${issue.state_reason})`);
      } else if (b.state === "open" && issue.state !== "open") {
        issue.state = "open";
        issue.closed_at = null;
        issue.state_reason = "reopened";
        said.push("reopened");
      } else if (typeof b.state_reason === "string") issue.state_reason = b.state_reason;
      issue.updated_at = this.stamp();
      this.record(bot(), `updated ${repo.name}#${issue.number}: ${said.join(", ") || "edited"}`);
      return json(200, this.issueJson(repo, issue));
    });
    this.on("GET", "/repos/{owner}/{repo}/issues/{number}/comments", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue) return notFound();
      const since = req.query.get("since");
      const comments = issue.comments.filter((c) => !since || c.updated_at >= normalize(since));
      return this.page(
        req,
        comments.map((c) => this.commentJson(repo, issue, c)),
      );
    });
    this.on("POST", "/repos/{owner}/{repo}/issues/{number}/comments", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue) return notFound();
      const comment = this.addComment(issue, bot(), String(req.body.body));
      this.record(bot(), `commented on ${repo.name}#${issue.number}: ${quote(comment.body)}`);
      return json(201, this.commentJson(repo, issue, comment));
    });
    this.on("PATCH", "/repos/{owner}/{repo}/issues/comments/{id}", (req) => {
      const repo = repoOf(req);
      const found = repo && this.findComment(repo, Number(req.params[2]));
      if (!repo || !found) return notFound();
      found.comment.body = String(req.body.body);
      found.comment.updated_at = this.stamp();
      this.record(
        bot(),
        `edited a comment on ${repo.name}#${found.issue.number}: ${quote(found.comment.body)}`,
      );
      return json(200, this.commentJson(repo, found.issue, found.comment));
    });
    this.on("POST", "/repos/{owner}/{repo}/issues/{number}/labels", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue) return notFound();
      const names = (Array.isArray(req.body.labels) ? req.body.labels : []).map(String);
      for (const name of names) {
        this.ensureLabel(repo, name);
        if (!issue.labels.some((l) => l.toLowerCase() === name.toLowerCase())) issue.labels.push(name);
      }
      this.record(bot(), `labelled ${repo.name}#${issue.number} ${names.map((n) => `"${n}"`).join(", ")}`);
      return json(
        200,
        issue.labels.map((l) => this.labelJson(repo, l)),
      );
    });
    this.on("DELETE", "/repos/{owner}/{repo}/issues/{number}/labels/{name}", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      const name = String(req.params[3]).toLowerCase();
      if (!repo || !issue?.labels.some((l) => l.toLowerCase() === name))
        return json(404, { message: "Label does not exist" });
      issue.labels = issue.labels.filter((l) => l.toLowerCase() !== name);
      this.record(bot(), `removed label "${req.params[3]}" from ${repo.name}#${issue.number}`);
      return json(
        200,
        issue.labels.map((l) => this.labelJson(repo, l)),
      );
    });
    this.on("POST", "/repos/{owner}/{repo}/labels", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const name = String(req.body.name);
      if (repo.labels.has(name.toLowerCase())) return unprocessable("Validation Failed: already_exists");
      repo.labels.set(name.toLowerCase(), {
        name,
        color: String(req.body.color ?? "ededed"),
        description: (req.body.description as string | undefined) ?? null,
        id: this.id(),
      });
      this.record(bot(), `created label "${name}" in ${repo.name}`);
      return json(201, this.labelJson(repo, name));
    });

    this.on("GET", "/repos/{owner}/{repo}/labels", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      return this.page(
        req,
        [...repo.labels.values()].map((l) => this.labelJson(repo, l.name)),
      );
    });
    this.on("POST", "/repos/{owner}/{repo}/issues/{number}/assignees", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue) return notFound();
      const logins = ((req.body.assignees as string[] | undefined) ?? []).map(String);
      for (const login of logins)
        if (!issue.assignees.some((a) => a.toLowerCase() === login.toLowerCase()))
          issue.assignees.push(login);
      this.record(bot(), `assigned ${logins.map((l) => `@${l}`).join(", ")} to ${repo.name}#${issue.number}`);
      return json(201, this.issueJson(repo, issue));
    });
    this.on("DELETE", "/repos/{owner}/{repo}/issues/{number}/assignees", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue) return notFound();
      const logins = ((req.body.assignees as string[] | undefined) ?? []).map((l) => String(l).toLowerCase());
      issue.assignees = issue.assignees.filter((a) => !logins.includes(a.toLowerCase()));
      this.record(
        bot(),
        `unassigned ${logins.map((l) => `@${l}`).join(", ")} from ${repo.name}#${issue.number}`,
      );
      return json(200, this.issueJson(repo, issue));
    });
    this.on("GET", "/repos/{owner}/{repo}/commits/{ref}", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const ref = String(req.params[2]);
      const sha = ref === "HEAD" ? repo.branches.get(repo.defaultBranch) : (repo.branches.get(ref) ?? ref);
      if (!sha || !repo.commits.has(sha)) return unprocessable(`No commit found for SHA: ${ref}`);
      return json(200, { ...this.commitJson(repo, sha), files: [] });
    });
    this.on("GET", "/repos/{owner}/{repo}/compare/{basehead}", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const [baseRef = "", headRef = ""] = String(req.params[2]).split("...");
      const resolve = (ref: string) => repo.branches.get(ref.replace(/^heads\//, "")) ?? ref;
      const [base, head] = [resolve(baseRef), resolve(headRef)];
      if (!repo.commits.has(base) || !repo.commits.has(head)) return notFound();
      // The fake's history is linear per commit (no merges): walk each side back to the merge base.
      const ancestors = (sha: string) => {
        const line = [sha];
        for (let at = repo.parents.get(sha); at; at = repo.parents.get(at)) line.push(at);
        return line;
      };
      const fromBase = ancestors(base);
      const fromHead = ancestors(head);
      const mergeBase = fromHead.find((sha) => fromBase.includes(sha));
      if (!mergeBase) return notFound();
      const ahead = fromHead.slice(0, fromHead.indexOf(mergeBase)).reverse();
      const behind = fromBase.indexOf(mergeBase);
      const status =
        ahead.length === 0 ? (behind === 0 ? "identical" : "behind") : behind === 0 ? "ahead" : "diverged";
      return json(200, {
        ...(exampleResponse("repos/compare-commits-with-basehead") as Record<string, unknown>),
        base_commit: this.commitJson(repo, base),
        merge_base_commit: this.commitJson(repo, mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind,
        total_commits: ahead.length,
        commits: ahead.map((sha) => this.commitJson(repo, sha)),
        files: [],
      });
    });

    // Teams.
    this.on("GET", "/orgs/{org}/teams/{team}", (req) => {
      const org = this.orgs.get(String(req.params[0]).toLowerCase());
      const team = org?.teams.get(String(req.params[1]).toLowerCase());
      if (!org || !team) return notFound();
      return json(200, {
        ...(exampleResponse("teams/get-by-name") as Record<string, unknown>),
        id: team.id,
        slug: team.slug,
        name: team.slug,
        members_count: team.members.size,
        parent: null,
      });
    });
    this.on("GET", "/orgs/{org}/teams/{team}/members", (req) => {
      const team = this.orgs
        .get(String(req.params[0]).toLowerCase())
        ?.teams.get(String(req.params[1]).toLowerCase());
      if (!team) return notFound();
      const role = req.query.get("role") ?? "all";
      const members = [...team.members.values()].filter((m) => role === "all" || m.role === role);
      return this.page(
        req,
        members.map((m) => this.userJson(m.login)),
      );
    });
    this.on("GET", "/orgs/{org}/teams/{team}/invitations", (req) => {
      const team = this.orgs
        .get(String(req.params[0]).toLowerCase())
        ?.teams.get(String(req.params[1]).toLowerCase());
      if (!team) return notFound();
      const base = (exampleResponse("teams/list-pending-invitations-in-org") as Record<string, unknown>[])[0];
      return this.page(
        req,
        [...team.invitations.values()].map((i) => ({
          ...base,
          id: loginId(i.login),
          login: i.login,
          node_id: `OI_${loginId(i.login)}`,
          email: null,
          role: "direct_member",
          created_at: i.created_at,
          inviter: this.userJson(bot()),
        })),
      );
    });
    this.on("GET", "/orgs/{org}/failed_invitations", (req) => {
      const org = this.orgs.get(String(req.params[0]).toLowerCase());
      if (!org) return notFound();
      const base = (exampleResponse("orgs/list-failed-invitations") as Record<string, unknown>[])[0];
      return this.page(
        req,
        org.failedInvitations.map((i, n) => ({
          ...base,
          id: loginId(i.login) * 100 + n,
          login: i.login,
          email: null,
          role: "direct_member",
          created_at: i.created_at,
          failed_at: i.failed_at,
          failed_reason: i.failed_reason,
          inviter: this.userJson(bot()),
        })),
      );
    });
    this.on("GET", "/orgs/{org}/teams/{team}/memberships/{username}", (req) => {
      const team = this.orgs
        .get(String(req.params[0]).toLowerCase())
        ?.teams.get(String(req.params[1]).toLowerCase());
      const key = String(req.params[2]).toLowerCase();
      const found = team?.members.get(key) ?? team?.invitations.get(key);
      if (!team || !found) return notFound();
      return json(200, this.membershipJson(req, found.role, team.members.has(key) ? "active" : "pending"));
    });
    this.on("PUT", "/orgs/{org}/teams/{team}/memberships/{username}", (req) => {
      const org = this.orgs.get(String(req.params[0]).toLowerCase());
      const team = org?.teams.get(String(req.params[1]).toLowerCase());
      if (!org || !team) return notFound();
      const login = String(req.params[2]);
      const key = login.toLowerCase();
      const role = req.body.role === "maintainer" ? "maintainer" : "member";
      if (org.members.has(key)) {
        const before = team.members.get(key);
        team.members.set(key, { login, role });
        this.record(
          bot(),
          before
            ? `set @${login}'s role in ${team.slug} to ${role}`
            : `added @${login} to ${team.slug} as ${role}`,
        );
        return json(200, this.membershipJson(req, role, "active"));
      }
      team.invitations.set(key, { login, role, created_at: this.stamp() });
      this.record(bot(), `invited @${login} to ${org.login} and ${team.slug} as ${role}`);
      return json(200, this.membershipJson(req, role, "pending"));
    });
    this.on("DELETE", "/orgs/{org}/teams/{team}/memberships/{username}", (req) => {
      const team = this.orgs
        .get(String(req.params[0]).toLowerCase())
        ?.teams.get(String(req.params[1]).toLowerCase());
      if (!team) return notFound();
      const key = String(req.params[2]).toLowerCase();
      const had = team.members.delete(key) || team.invitations.delete(key);
      if (!had) return notFound();
      this.record(bot(), `removed @${req.params[2]} from ${team.slug}`);
      return json(204);
    });

    // Check runs.
    this.on("POST", "/repos/{owner}/{repo}/check-runs", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const b = req.body as Record<string, never>;
      const output = (b.output ?? {}) as FakeCheckRun["output"];
      const tooMany = this.tooManyAnnotations(req.path, output);
      if (tooMany) return tooMany;
      const run: FakeCheckRun = {
        id: this.id(),
        name: String(b.name),
        head_sha: String(b.head_sha),
        status: b.conclusion ? "completed" : (b.status ?? "queued"),
        conclusion: b.conclusion ?? null,
        output: { ...output, annotations: [...(output.annotations ?? [])] },
        ...(b.details_url ? { details_url: b.details_url } : {}),
        started_at: this.stamp(),
        completed_at: b.conclusion ? this.stamp() : null,
      };
      repo.checkRuns.push(run);
      this.record(bot(), `check "${run.name}" on ${short(run.head_sha)}: ${describeRun(run)}`);
      return json(201, this.checkRunJson(repo, run));
    });
    this.on("PATCH", "/repos/{owner}/{repo}/check-runs/{id}", (req) => {
      const repo = repoOf(req);
      const run = repo?.checkRuns.find((r) => r.id === Number(req.params[2]));
      if (!repo || !run) return notFound();
      const b = req.body as Record<string, never>;
      if (b.status) run.status = b.status;
      if (b.conclusion) {
        run.conclusion = b.conclusion;
        run.status = "completed";
        run.completed_at = this.stamp();
      }
      if (b.output) {
        const output = b.output as FakeCheckRun["output"];
        const tooMany = this.tooManyAnnotations(req.path, output);
        if (tooMany) return tooMany;
        // Annotations accumulate across updates, as on GitHub.
        run.output = {
          ...run.output,
          ...output,
          annotations: [...run.output.annotations, ...(output.annotations ?? [])],
        };
      }
      this.record(bot(), `check "${run.name}" on ${short(run.head_sha)} updated: ${describeRun(run)}`);
      return json(200, this.checkRunJson(repo, run));
    });
    this.on("GET", "/repos/{owner}/{repo}/check-runs/{id}", (req) => {
      const repo = repoOf(req);
      const run = repo?.checkRuns.find((r) => r.id === Number(req.params[2]));
      return repo && run ? json(200, this.checkRunJson(repo, run)) : notFound();
    });
    this.on("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const ref = String(req.params[2]);
      const sha = repo.branches.get(ref) ?? ref;
      const name = req.query.get("check_name");
      const runs = repo.checkRuns
        .filter((r) => r.head_sha === sha && (!name || r.name === name))
        .reverse()
        .map((r) => this.checkRunJson(repo, r));
      const { items, headers } = this.slice(req, runs);
      return json(200, { total_count: runs.length, check_runs: items }, headers);
    });

    // Pull requests.
    this.on("GET", "/repos/{owner}/{repo}/pulls", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const state = req.query.get("state") ?? "open";
      const head = req.query.get("head");
      const baseRef = req.query.get("base");
      const pulls = [...repo.issues.values()].filter(
        (i) =>
          i.pull &&
          (state === "all" || i.state === state) &&
          (!head || `${repo.owner}:${i.pull.head}` === head || i.pull.head === head) &&
          (!baseRef || i.pull.base === baseRef),
      );
      return this.page(
        req,
        pulls.reverse().map((i) => this.pullJson(repo, i)),
      );
    });
    this.on("GET", "/repos/{owner}/{repo}/pulls/{number}", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      return repo && issue?.pull ? json(200, this.pullJson(repo, issue)) : notFound();
    });
    this.on("GET", "/repos/{owner}/{repo}/pulls/{number}/files", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue?.pull) return notFound();
      const base = (exampleResponse("pulls/list-files") as Record<string, unknown>[])[0];
      const before = this.tree(repo, issue.pull.base);
      return this.page(
        req,
        Object.entries(issue.pull.files).map(([filename, text]) => ({
          ...base,
          sha: text === null ? null : blobSha(text),
          filename,
          status: text === null ? "removed" : before?.has(filename) ? "modified" : "added",
          additions: text?.split("\n").length ?? 0,
          deletions: 0,
          changes: text?.split("\n").length ?? 0,
          patch: undefined,
        })),
      );
    });
    this.on("GET", "/repos/{owner}/{repo}/pulls/{number}/reviews", (req) => {
      const repo = repoOf(req);
      const issue = repo?.issues.get(Number(req.params[2]));
      if (!repo || !issue?.pull) return notFound();
      return this.page(
        req,
        issue.pull.reviews.map((r) => this.reviewJson(repo, issue, r)),
      );
    });
    this.on("POST", "/repos/{owner}/{repo}/pulls", (req) => {
      const repo = repoOf(req);
      if (!repo) return notFound();
      const head = String(req.body.head);
      const base = String(req.body.base);
      const headSha = repo.branches.get(head);
      if (!headSha || !repo.branches.has(base))
        return unprocessable("Validation Failed: head or base invalid");
      const baseTree = this.tree(repo, base) ?? new Map();
      const headTree = this.tree(repo, head) ?? new Map();
      const files: Record<string, string | null> = {};
      for (const [path, text] of headTree) if (baseTree.get(path) !== text) files[path] = text;
      for (const path of baseTree.keys()) if (!headTree.has(path)) files[path] = null;
      const issue = this.addIssue(`${repo.owner}/${repo.name}`, {
        title: String(req.body.title),
        body: String(req.body.body ?? ""),
        author: bot(),
        pull: { head, base, headSha, merged: false, files, reviews: [] },
      });
      this.record(
        bot(),
        `opened pull request ${repo.name}#${issue.number} "${issue.title}" (${head} → ${base})`,
      );
      return json(201, this.pullJson(repo, issue));
    });

    // Repository security advisories.
    this.on("GET", "/orgs/{org}/security-advisories", (req) => {
      const owner = String(req.params[0]).toLowerCase();
      const repos = [...this.repos.values()].filter((r) => r.owner.toLowerCase() === owner);
      return this.advisoryList(req, repos);
    });
    this.on("GET", "/repos/{owner}/{repo}/security-advisories", (req) => {
      const repo = repoOf(req);
      return repo ? this.advisoryList(req, [repo]) : notFound();
    });
    this.on("GET", "/repos/{owner}/{repo}/security-advisories/{ghsa}", (req) => {
      const repo = repoOf(req);
      const a = repo?.advisories.get(String(req.params[2]));
      return repo && a ? json(200, this.advisoryJson(repo, a)) : notFound();
    });
    this.on("GET", "/repos/{owner}/{repo}/security-advisories/{ghsa}/comments", (req) => {
      const a = repoOf(req)?.advisories.get(String(req.params[2]));
      return a
        ? json(
            200,
            a.comments.map((c) => this.advisoryCommentJson(c)),
          )
        : notFound();
    });
    this.on("POST", "/repos/{owner}/{repo}/security-advisories/{ghsa}/comments", (req) => {
      const a = repoOf(req)?.advisories.get(String(req.params[2]));
      if (!a) return notFound();
      const comment = this.addAdvisoryComment(a, bot(), String(req.body.body));
      this.record(bot(), `commented on advisory ${a.ghsa_id}: ${quote(comment.body)}`);
      return json(201, this.advisoryCommentJson(comment));
    });
    this.on("PATCH", "/repos/{owner}/{repo}/security-advisories/{ghsa}", (req) => {
      const repo = repoOf(req);
      const a = repo?.advisories.get(String(req.params[2]));
      if (!repo || !a) return notFound();
      const b = req.body;
      const said: string[] = [];
      // Lists are replaced whole, as GitHub does: whoever is missing from the request loses access.
      if (Array.isArray(b.collaborating_users)) {
        a.collaborating_users = (b.collaborating_users as string[]).map(String);
        said.push(`collaborating users → ${a.collaborating_users.map((u) => `@${u}`).join(", ") || "none"}`);
      }
      if (Array.isArray(b.collaborating_teams)) {
        a.collaborating_teams = (b.collaborating_teams as string[]).map(String);
        said.push(`collaborating teams → ${a.collaborating_teams.join(", ") || "none"}`);
      }
      if (typeof b.state === "string" && b.state !== a.state) {
        a.state = b.state as FakeAdvisory["state"];
        if (a.state === "closed") a.closed_at = this.stamp();
        if (a.state === "published") a.published_at = this.stamp();
        said.push(`state → ${a.state}`);
      }
      if (typeof b.summary === "string") a.summary = b.summary;
      if (typeof b.description === "string") a.description = b.description;
      if (b.severity !== undefined) a.severity = b.severity as FakeAdvisory["severity"];
      if (typeof b.cvss_vector_string === "string") a.cvss_vector = b.cvss_vector_string;
      if (Array.isArray(b.cwe_ids)) {
        a.cwe_ids = (b.cwe_ids as string[]).map(String);
        said.push(`CWEs → ${a.cwe_ids.join(", ") || "none"}`);
      }
      if (Array.isArray(b.credits)) {
        a.credits = (b.credits as { login: string; type: string }[]).map((c) => ({
          login: c.login,
          type: c.type,
        }));
        said.push(`credits → ${a.credits.map((c) => `@${c.login} (${c.type})`).join(", ") || "none"}`);
      }
      a.updated_at = this.stamp();
      this.record(bot(), `updated advisory ${a.ghsa_id} in ${repo.name}: ${said.join(", ") || "edited"}`);
      return json(200, this.advisoryJson(repo, a));
    });

    // A CVE request is reviewed by GitHub; here it is granted at once. A second request is refused.
    this.on("POST", "/repos/{owner}/{repo}/security-advisories/{ghsa}/cve", (req) => {
      const repo = repoOf(req);
      const a = repo?.advisories.get(String(req.params[2]));
      if (!repo || !a) return notFound();
      if (a.cve_id)
        return unprocessable("Validation Failed: a CVE has already been requested for this advisory");
      a.cve_id = `CVE-${this.stamp().slice(0, 4)}-${10000 + repo.advisories.size}`;
      this.record(bot(), `requested a CVE for advisory ${a.ghsa_id} in ${repo.name}: ${a.cve_id}`);
      return json(202, {});
    });
    this.on("POST", "/repos/{owner}/{repo}/security-advisories/{ghsa}/forks", (req) => {
      const repo = repoOf(req);
      const a = repo?.advisories.get(String(req.params[2]));
      if (!repo || !a) return notFound();
      const name = `${repo.owner}/${repo.name}-${a.ghsa_id.toLowerCase()}`;
      if (!a.private_fork) {
        this.addRepo(name, { private: true });
        a.private_fork = name;
        this.record(bot(), `created the private fork ${name} of advisory ${a.ghsa_id}`);
      }
      return json(202, { ...this.repoJson(this.repo(name)), html_url: `https://github.com/${name}` });
    });

    // GraphQL: validated against GitHub's schema, then answered by `graphqlResolvers` (tests may
    // override) or executed over the state (graphql.ts lists the subset).
    this.on("POST", "/graphql", async (req) => {
      const query = String(req.body.query ?? "");
      const variables = (req.body.variables ?? {}) as Record<string, unknown>;
      for (const resolve of this.graphqlResolvers) {
        const data = resolve(query, variables);
        if (data !== undefined) return json(200, { data });
      }
      const outcome = await runGraphQL(this, query, variables);
      this.invalidRequests.push(...outcome.problems);
      return json(200, outcome.body);
    });
  }

  /** A commit as the commits and compare APIs show it: who made it, and whether GitHub verified it. */
  private commitJson(repo: FakeRepo, sha: string): Record<string, unknown> {
    const base = exampleResponse("repos/get-commit") as Record<string, Record<string, unknown>>;
    const { login, verified } = repo.authors.get(sha) ?? { login: "octocat", verified: false };
    const parent = repo.parents.get(sha);
    return {
      ...base,
      sha,
      node_id: `C_${sha}`,
      commit: {
        ...base.commit,
        verification: { verified, reason: verified ? "valid" : "unsigned", signature: null, payload: null },
      },
      author: this.userJson(login),
      committer: this.userJson(login),
      parents: parent ? [{ sha: parent, url: "", html_url: "" }] : [],
    };
  }

  private refJson(repo: FakeRepo, branch: string, sha: string): Record<string, unknown> {
    return {
      ...(exampleResponse("git/get-ref") as Record<string, unknown>),
      ref: `refs/heads/${branch}`,
      url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}/git/refs/heads/${branch}`,
      object: {
        type: "commit",
        sha,
        url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}/git/commits/${sha}`,
      },
    };
  }

  private membershipJson(req: Req, role: string, state: string): Record<string, unknown> {
    return { url: `${this.baseUrl}${req.path}`, role, state };
  }

  /** GitHub takes at most 50 annotations per create or update of a check run. */
  private tooManyAnnotations(path: string, output: { annotations?: unknown[] }): Reply | undefined {
    const count = output.annotations?.length ?? 0;
    if (count <= 50) return undefined;
    this.invalidRequests.push(`${path}: ${count} annotations in one request (GitHub takes at most 50)`);
    return unprocessable("Validation Failed: annotations: at most 50 per request");
  }

  addAdvisoryComment(advisory: FakeAdvisory, author: string, body: string): FakeAdvisory["comments"][number] {
    const comment = { id: this.id(), author, body, created_at: this.stamp() };
    advisory.comments.push(comment);
    return comment;
  }

  advisoryCommentJson(c: FakeAdvisory["comments"][number]): Record<string, unknown> {
    return { id: c.id, body: c.body, user: this.userJson(c.author), created_at: c.created_at };
  }

  addComment(issue: FakeIssue, author: string, body: string): FakeComment {
    const at = this.stamp();
    const comment: FakeComment = {
      id: this.id(),
      body,
      user: this.user(author),
      viaApp: author === this.botLogin,
      created_at: at,
      updated_at: at,
    };
    issue.comments.push(comment);
    issue.updated_at = at;
    return comment;
  }

  private findComment(repo: FakeRepo, id: number): { issue: FakeIssue; comment: FakeComment } | undefined {
    for (const issue of repo.issues.values()) {
      const comment = issue.comments.find((c) => c.id === id);
      if (comment) return { issue, comment };
    }
    return undefined;
  }

  private listIssues(repo: FakeRepo, query: URLSearchParams): FakeIssue[] {
    const state = query.get("state") ?? "open";
    const labels = (query.get("labels") ?? "")
      .split(",")
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const since = query.get("since");
    const assignee = query.get("assignee");
    const creator = query.get("creator");
    const sort = query.get("sort") ?? "created";
    const direction = query.get("direction") ?? "desc";
    const key = (i: FakeIssue) =>
      sort === "updated"
        ? i.updated_at
        : sort === "comments"
          ? String(i.comments.length).padStart(9, "0")
          : i.created_at;
    return [...repo.issues.values()]
      .filter(
        (i) =>
          (state === "all" || i.state === state) &&
          labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)) &&
          (!since || i.updated_at >= normalize(since)) &&
          (!assignee ||
            (assignee === "none"
              ? i.assignees.length === 0
              : assignee === "*"
                ? i.assignees.length > 0
                : i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase()))) &&
          (!creator || i.user.login.toLowerCase() === creator.toLowerCase()),
      )
      .sort(
        (a, b) =>
          (key(a) === key(b) ? a.number - b.number : key(a) < key(b) ? -1 : 1) *
          (direction === "asc" ? 1 : -1),
      );
  }

  /** Page-numbered pagination with GitHub's Link header (`per_page` default 30, at most 100). */
  private page(req: Req, all: unknown[]): Reply {
    const { items, headers } = this.slice(req, all);
    return json(200, items, headers);
  }

  private slice(req: Req, all: unknown[]): { items: unknown[]; headers: Record<string, string> } {
    const perPage = Math.min(Number(req.query.get("per_page") ?? 30) || 30, 100);
    const page = Math.max(Number(req.query.get("page") ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const link = (p: number, rel: string) => {
      const url = new URL(req.url);
      url.searchParams.set("per_page", String(perPage));
      url.searchParams.set("page", String(p));
      return `<${url.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
    if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
    return {
      items: all.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(", ") } : {},
    };
  }

  /** Advisory lists: state filter (comma-separated allowed), sort, and cursor pagination (`after`/`before`). */
  private advisoryList(req: Req, repos: FakeRepo[]): Reply {
    const states = (req.query.get("state") ?? "").split(",").filter(Boolean);
    const sort = (req.query.get("sort") ?? "created") as "created" | "updated" | "published";
    const direction = req.query.get("direction") ?? "desc";
    const perPage = Math.min(Number(req.query.get("per_page") ?? 30) || 30, 100);
    const all = repos
      .flatMap((repo) => [...repo.advisories.values()].map((a) => ({ repo, a })))
      .filter(({ a }) => states.length === 0 || states.includes(a.state))
      .sort((x, y) => {
        const kx = `${x.a[`${sort}_at`] ?? ""}${x.a.ghsa_id}`;
        const ky = `${y.a[`${sort}_at`] ?? ""}${y.a.ghsa_id}`;
        return (kx < ky ? -1 : kx > ky ? 1 : 0) * (direction === "asc" ? 1 : -1);
      });
    const after = req.query.get("after");
    const before = req.query.get("before");
    let start = 0;
    if (after) start = all.findIndex(({ a }) => cursor(a.ghsa_id) === after) + 1;
    if (before) start = Math.max(all.findIndex(({ a }) => cursor(a.ghsa_id) === before) - perPage, 0);
    const items = all.slice(start, start + perPage);
    const links: string[] = [];
    const link = (key: "after" | "before", value: string, rel: string) => {
      const url = new URL(req.url);
      url.searchParams.delete("after");
      url.searchParams.delete("before");
      url.searchParams.set(key, value);
      return `<${url.toString()}>; rel="${rel}"`;
    };
    const lastItem = items[items.length - 1];
    if (lastItem && start + perPage < all.length)
      links.push(link("after", cursor(lastItem.a.ghsa_id), "next"));
    if (items[0] && start > 0) links.push(link("before", cursor(items[0].a.ghsa_id), "prev"));
    return json(
      200,
      items.map(({ repo, a }) => this.advisoryJson(repo, a)),
      links.length > 0 ? { link: links.join(", ") } : undefined,
    );
  }
}

/** app.yml's permissions and events: what a healthy installation was granted. */
function manifest(): { default_permissions: Record<string, string>; default_events: string[] } {
  appManifest ??= parseYaml(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));
  return appManifest as { default_permissions: Record<string, string>; default_events: string[] };
}
let appManifest: unknown;

function splitFullName(fullName: string): [string, string] {
  const [owner, name] = fullName.split("/");
  if (!owner || !name) throw new Error(`fake GitHub: "${fullName}" is not owner/repo`);
  return [owner, name];
}

/** Stable ids per login, so the same person has the same id in every answer and webhook. */
function loginId(login: string): number {
  let h = 7;
  for (const c of login.toLowerCase()) h = (h * 31 + c.charCodeAt(0)) % 90_000_000;
  return h + 10_000_000;
}

export function blobSha(text: string): string {
  let h = 0n;
  for (const c of Buffer.from(text)) h = (h * 131n + BigInt(c)) % 2n ** 160n;
  return h.toString(16).padStart(40, "0");
}

function ghsaId(): string {
  const chars = "23456789cfghjmpqrvwx";
  const part = () =>
    Array.from({ length: 4 }, () => chars[Math.floor(Math.random() * chars.length)]).join("");
  return `GHSA-${part()}-${part()}-${part()}`;
}

const cursor = (ghsa: string) => Buffer.from(ghsa).toString("base64url");
const normalize = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
const short = (sha: string) => sha.slice(0, 7);
const isTokenRequest = (r: LoggedRequest) =>
  /^(\/api\/v3)?\/app\/installations\/\d+\/access_tokens/.test(r.path);

function quote(body: string): string {
  const text = body
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return `"${text.length > 100 ? `${text.slice(0, 97)}...` : text}"`;
}

function describeIssueExtras(issue: FakeIssue): string {
  const parts = [];
  if (issue.labels.length > 0) parts.push(`labels ${issue.labels.join(", ")}`);
  if (issue.assignees.length > 0) parts.push(`assigned to ${issue.assignees.map((a) => `@${a}`).join(", ")}`);
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

function describeRun(run: FakeCheckRun): string {
  return `${run.conclusion ?? run.status}${run.output.title ? ` - ${run.output.title}` : ""}`;
}
