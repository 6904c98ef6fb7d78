import type { Charter } from "../charter/schema.js";
import type { CharterRead } from "../charter/source.js";
import type { Runtime } from "../context.js";
import type { RepoRef } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import { type GraphQLActor, graphql, restLogin } from "../core/graphql.js";
import type { Identity } from "../core/identity.js";
import { repositoryAdvisory } from "../github/advisories.js";
import {
  CHARTER_QUERY_FIELD,
  CHARTER_QUERY_VARIABLES,
  type CharterNode,
  charterFromQuery,
  charterVariables,
} from "../github/charter-source.js";
import type { GitHubReader } from "../github/reader.js";
import { repositoryVisibility } from "../github/repositories.js";
import type { Advisory, Report } from "./advisory.js";
import { advisoryRepoOf, ghsaOf, trackerRef, triagerOf } from "./tracking-markers.js";

/** A tracking issue the app wrote, as the planners need it. */
export interface TrackingIssue {
  number: number;
  state: "open" | "closed";
  ghsa: string;
  advisoryRepo: RepoRef | undefined;
  triager: string | undefined;
  assignees: string[];
  labels: string[];
  comments: number;
  createdAt: string;
  /** The body as read (it shows the advisory as it is now: see advisory-work.ts). */
  body?: string;
}

export interface IssueData {
  number: number;
  state?: string;
  body?: string | null;
  user?: { login?: string } | null;
  pull_request?: unknown;
  assignees?: { login: string }[] | null;
  labels?: (string | { name?: string })[];
  comments?: number;
  created_at: string;
}

/** The tracking issue behind a REST or webhook issue, or undefined when the app did not write it. */
export function trackingIssue(issue: IssueData, self: Identity): TrackingIssue | undefined {
  const ghsa = ghsaOf(issue, self);
  if (!ghsa) return undefined;
  return {
    number: issue.number,
    state: issue.state === "closed" ? "closed" : "open",
    ghsa,
    advisoryRepo: advisoryRepoOf(issue, self),
    triager: triagerOf(issue, self),
    assignees: (issue.assignees ?? []).map((a) => a.login),
    labels: (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
    comments: issue.comments ?? 0,
    createdAt: issue.created_at,
    ...(typeof issue.body === "string" ? { body: issue.body } : {}),
  };
}

/** The tracker, read once: labels and every tracking issue, or why nothing may be written there. */
export type TrackerRead =
  | { ok: true; repo: RepoRef; labels: string[]; issues: TrackingIssue[] }
  | { ok: false; problem: string };

/**
 * Whether report details may be written to the tracker: only a private repository qualifies. The
 * problem text names the repo only, never a report.
 */
export async function checkTrackerPrivate(
  rt: Runtime,
  charter: Charter,
): Promise<{ ok: true } | { ok: false; problem: string }> {
  const repo = trackerRef(charter);
  // Read once per delivery or sweep: the answer also tells the write guard (disclosure.ts).
  let isPrivate = rt.disclosure.isPrivate(repo);
  try {
    if (isPrivate === undefined) {
      isPrivate = (await repositoryVisibility(rt, repo)) === "private";
      rt.disclosure.learnVisibility(repo, isPrivate);
    }
  } catch (error) {
    const status = statusOf(error);
    rt.log.error({ tracker: charter.tracker, status }, "cannot read the tracker repository");
    return {
      ok: false,
      problem: `the tracker repository ${charter.tracker} cannot be read (HTTP ${status ?? "error"}): nothing was written there`,
    };
  }
  if (!isPrivate) {
    rt.log.error(
      { tracker: charter.tracker },
      "the tracker repository is not private: refusing to write report details there",
    );
    return {
      ok: false,
      problem: `the tracker repository ${charter.tracker} is not private: nothing was written there (make it private)`,
    };
  }
  return { ok: true };
}

/**
 * Reads the tracker repo after confirming it is private: report details must never reach a
 * repository others can read.
 */
export async function readTracker(
  rt: Runtime,
  charter: Charter,
  options: { withLabels?: boolean } = {},
): Promise<TrackerRead> {
  const repo = trackerRef(charter);
  const privacy = await checkTrackerPrivate(rt, charter);
  if (!privacy.ok) return privacy;
  const self = await rt.self();
  let labels: { name: string }[];
  let issues: IssueData[];
  try {
    labels =
      options.withLabels === false
        ? []
        : await rt.octokit.paginate(rt.octokit.rest.issues.listLabelsForRepo, { ...repo, per_page: 100 });
    // Every issue, not only labelled ones: a tracking issue is known by the app's marker, and one
    // whose label someone removed must still count, or the next poll would open a second one.
    issues = (await rt.octokit.paginate(rt.octokit.rest.issues.listForRepo, {
      ...repo,
      state: "all",
      per_page: 100,
    })) as unknown as IssueData[];
  } catch (error) {
    // Without the full list a second tracking issue could be opened: write nothing there this time.
    const status = statusOf(error);
    rt.log.error({ tracker: charter.tracker, status }, "cannot list the tracker's labels or issues");
    return {
      ok: false,
      problem: `cannot list the issues of ${charter.tracker} (HTTP ${status ?? "error"}): nothing was written there`,
    };
  }
  return {
    ok: true,
    repo,
    labels: labels.map((l) => l.name),
    issues: issues.flatMap((i) => trackingIssue(i, self) ?? []),
  };
}

/** The advisory a tracking issue mirrors, read fresh (its collaborator lists change outside the app). */
export async function readReport(
  reader: Pick<GitHubReader, "octokit">,
  issue: TrackingIssue,
): Promise<Report> {
  if (!issue.advisoryRepo)
    throw new Error(`tracking issue #${issue.number} does not name its advisory's repository`);
  const advisory = await repositoryAdvisory(reader, issue.advisoryRepo, issue.ghsa);
  return { advisory: advisory as unknown as Advisory, repo: issue.advisoryRepo };
}

const ISSUE_WITH_CHARTER_QUERY = `query IssueWithCharter(${CHARTER_QUERY_VARIABLES}, $owner: String!, $repo: String!, $number: Int!) {
  ${CHARTER_QUERY_FIELD}
  repository(owner: $owner, name: $repo) {
    nameWithOwner visibility
    issue(number: $number) {
      number
      title
      state
      body
      createdAt
      author { __typename login }
      assignees(first: 10) { nodes { login } }
      labels(first: 100) { nodes { name } }
      comments { totalCount }
    }
  }
}`;

interface IssueWithCharterResponse {
  charter: CharterNode | null;
  repository: {
    issue: {
      number: number;
      state: string;
      body: string;
      createdAt: string;
      author: GraphQLActor | null;
      assignees: { nodes: { login: string }[] };
      labels: { nodes: { name: string }[] };
      comments: { totalCount: number };
    } | null;
  } | null;
}

/**
 * The charter and an issue as it is now, in ONE GraphQL round trip: an event about the issue may be
 * redelivered or late, so its payload is not the issue's state, and the charter decides who may act.
 * The issue is undefined when it no longer exists (or is a pull request). The repository's name and
 * visibility and the issue's title are for the write guard, which learns from every answer (disclosure.ts).
 */
export async function readIssueWithCharter(
  rt: Runtime,
  repo: RepoRef,
  number: number,
): Promise<{ charter: CharterRead; issue: IssueData | undefined }> {
  const data: IssueWithCharterResponse = await graphql(
    rt.octokit,
    ISSUE_WITH_CHARTER_QUERY,
    { ...charterVariables(rt.where), owner: repo.owner, repo: repo.repo, number },
    { nullWhenNotFound: true },
  );
  const charter = await charterFromQuery(rt.octokit, rt.where, rt.now, data.charter);
  const node = data.repository?.issue;
  const issue: IssueData | undefined = node
    ? {
        number: node.number,
        state: node.state.toLowerCase(),
        body: node.body,
        user: { login: restLogin(node.author) },
        assignees: node.assignees.nodes,
        labels: node.labels.nodes,
        comments: node.comments.totalCount,
        created_at: node.createdAt,
      }
    : undefined;
  return { charter, issue };
}
