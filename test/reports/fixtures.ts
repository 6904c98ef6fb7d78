import type nock from "nock";
import { type AdvisoryNow, statusSection } from "../../src/reports/advisory-work.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { APP_ID, APP_LOGIN } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { advisory } from "../helpers/payloads.js";

/** Shared fixtures for the reports tests: the example charter's tracker and advisories in `django/django`. */
export const TRACKER = "/repos/django/security-reports";
export const ADVISORY_REPO = "/repos/django/django/security-advisories";
export const SECRET_SUMMARY = "SQL injection in QuerySet.extra via crafted alias";
export const SECRET_DESCRIPTION = "Step 1: send ' OR 1=1 -- to /admin/ to dump the users table";
export const ALL_LABELS = ["security-report", "claim", "needs-sign-off", "stale"];

/** A triage advisory in django/django with report text that must never leave the private tracker. */
export function reportAdvisory(patch: Record<string, unknown> = {}) {
  return advisory({
    ghsa_id: "GHSA-aaaa-bbbb-cccc",
    url: "https://api.github.com/repos/django/django/security-advisories/GHSA-aaaa-bbbb-cccc",
    html_url: "https://github.com/django/django/security/advisories/GHSA-aaaa-bbbb-cccc",
    summary: SECRET_SUMMARY,
    description: SECRET_DESCRIPTION,
    severity: "high",
    state: "triage",
    author: { login: "reporter" },
    created_at: "2026-11-21T09:30:00Z",
    submission: { accepted: false },
    credits: [],
    credits_detailed: [],
    collaborating_users: [],
    collaborating_teams: [],
    ...patch,
  });
}

export interface IssueFixture {
  number: number;
  ghsa?: string;
  state?: "open" | "closed";
  assignees?: string[];
  triager?: string;
  comments?: number;
  created_at?: string;
  labels?: string[];
  /** Who wrote it (default: the app). */
  author?: string;
  /** The advisory its body shows as it is now (default: no such section, as issues opened before it). */
  shows?: unknown;
}

/** A tracking issue as GitHub returns it (REST shape), written by the app unless `author` says otherwise. */
export function trackingIssueData(f: IssueFixture) {
  const base = exampleResponse("issues/get") as Record<string, unknown>;
  const ghsa = f.ghsa ?? "GHSA-aaaa-bbbb-cccc";
  const author = f.author ?? APP_LOGIN;
  return {
    ...base,
    number: f.number,
    state: f.state ?? "open",
    title: `${ghsa}: report`,
    body: [
      `<!-- security-team:ghsa:${ghsa} -->`,
      "<!-- security-team:advisory:django/django -->",
      ...(f.triager ? [`<!-- security-team:triager:${f.triager} -->`] : []),
      "",
      "details",
      ...(f.shows ? ["", statusSection(f.shows as AdvisoryNow)] : []),
    ].join("\n"),
    user: { ...(base.user as object), login: author, type: author === APP_LOGIN ? "Bot" : "User" },
    performed_via_github_app: author === APP_LOGIN ? { id: APP_ID } : null,
    pull_request: undefined,
    assignees: (f.assignees ?? []).map((login) => ({ ...(base.user as object), login })),
    assignee: null,
    labels: (f.labels ?? ["security-report"]).map((name, id) => ({ id, name, color: "b60205" })),
    comments: f.comments ?? 0,
    created_at: f.created_at ?? "2026-11-01T00:00:00Z",
  };
}

/** An app comment carrying markers (e.g. `ack`, `no-owner`). */
export function appComment(id: number, body: string) {
  const base = exampleResponse("issues/get-comment") as Record<string, unknown>;
  return {
    ...base,
    id,
    body,
    user: { ...(base.user as object), login: APP_LOGIN, type: "Bot" },
    performed_via_github_app: { id: APP_ID },
  };
}

/** Answers the tracker reads: visibility, labels, tracking issues (state=all, report label). */
export function replyTracker(
  scope: nock.Scope,
  options: { private?: boolean; labels?: string[]; issues?: unknown[] } = {},
): nock.Scope {
  const repo = exampleResponse("repos/get") as Record<string, unknown>;
  scope.get(TRACKER).reply(200, {
    ...repo,
    name: "security-reports",
    full_name: "django/security-reports",
    private: options.private ?? true,
    visibility: options.private === false ? "public" : "private",
  });
  if (options.private === false) return scope;
  return scope
    .get(`${TRACKER}/labels`)
    .query({ per_page: "100" })
    .reply(
      200,
      (options.labels ?? ALL_LABELS).map((name, id) => ({ id, name, color: "b60205" })),
    )
    .get(`${TRACKER}/issues`)
    .query({ state: "all", per_page: "100" })
    .reply(200, options.issues ?? []);
}

type IssueJson = ReturnType<typeof trackingIssueData>;

/** How GraphQL names an author: an app by its slug, typed `Bot` (REST says `slug[bot]`). */
export function graphQLActor(login: string) {
  return login.endsWith("[bot]")
    ? { __typename: "Bot", login: login.slice(0, -"[bot]".length) }
    : { __typename: "User", login };
}

/** A tracking issue as the claim's GraphQL query (`IssueWithCharter`) selects it. */
export function graphQLIssueNode(issue: IssueJson) {
  return {
    number: issue.number,
    state: issue.state.toUpperCase(),
    body: issue.body,
    createdAt: issue.created_at,
    author: graphQLActor(issue.user.login),
    assignees: { nodes: issue.assignees.map((a) => ({ login: a.login })) },
    labels: { nodes: issue.labels.map((l) => ({ name: l.name })) },
    comments: { totalCount: issue.comments },
  };
}

/**
 * Answers the claim's one read (`IssueWithCharter`) as GitHub does: the charter on the default
 * branch (`charter: null`: no such file) and the issue as it is now (`null`: gone, with GitHub's
 * NOT_FOUND error). `author` replaces the issue's GraphQL author.
 */
export function replyIssueWithCharter(
  scope: nock.Scope,
  issue: IssueJson | null,
  options: {
    charter?: string | null;
    truncated?: boolean;
    symlink?: boolean;
    number?: number;
    repo?: string;
    author?: { __typename: string; login: string };
  } = {},
): nock.Scope {
  const number = options.number ?? issue?.number;
  const text = options.charter === undefined ? EXAMPLE_CHARTER_TEXT : options.charter;
  const file =
    text === null
      ? null
      : {
          mode: options.symlink ? 0o120000 : 0o100644,
          object: { text, isTruncated: options.truncated ?? false },
        };
  const node = issue && { ...graphQLIssueNode(issue), ...(options.author ? { author: options.author } : {}) };
  const notFound = {
    type: "NOT_FOUND",
    path: ["repository", "issue"],
    locations: [{ line: 6, column: 5 }],
    message: `Could not resolve to an Issue with the number of ${number}.`,
  };
  return scope
    .post("/graphql", (body: { query: string; variables: Record<string, unknown> }) => {
      const v = body.variables;
      return (
        /query IssueWithCharter\b/.test(body.query) &&
        v.charterOwner === "django" &&
        v.charterRepo === ".github" &&
        v.charterPath === ".github/security-charter.yml" &&
        v.owner === "django" &&
        v.repo === (options.repo ?? "security-reports") &&
        v.number === number
      );
    })
    .reply(200, {
      data: {
        charter: { defaultBranchRef: { target: { file } } },
        repository: { issue: node },
      },
      ...(node ? {} : { errors: [notFound] }),
    });
}

/**
 * The log lines at info level and above: what a production deployment (LOG_LEVEL=info) writes.
 * Probot's own debug lines ("Webhook received", request logging) print whole payloads and bodies.
 */
export function infoLog(logs: string[]): string {
  return logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 30).join("\n");
}
