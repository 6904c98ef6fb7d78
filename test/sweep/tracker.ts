import pino from "pino";
import { ProbotOctokit } from "probot";
import { createRuntime, type Runtime } from "../../src/context.js";
import { marker } from "../../src/core/markers.js";
import { github } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";

/**
 * A private tracker repo kept in memory behind nock: the sweep's GraphQL reads see the state, and
 * its comment and label writes change it, so consecutive sweeps behave as they would on GitHub.
 */

export const APP_LOGIN = "security-team[bot]";
export const TRACKER = "/repos/django/security-reports";

export interface FakeComment {
  author: string;
  type: "User" | "Bot";
  createdAt: string;
  body: string;
}

export interface FakeIssue {
  number: number;
  createdAt: string;
  body: string;
  author: { login: string; type: "User" | "Bot" };
  assignees: string[];
  labels: string[];
  comments: FakeComment[];
}

export function trackingIssue(number: number, createdAt: string, patch: Partial<FakeIssue> = {}): FakeIssue {
  return {
    number,
    createdAt,
    body: `Report tracking issue.\n\n${marker(`ghsa:GHSA-${number}xxx-yyyy-zzzz`)}\n${marker("advisory:django/django")}`,
    author: { login: "security-team", type: "Bot" },
    assignees: [],
    labels: ["security-report"],
    comments: [],
    ...patch,
  };
}

/** A comment as GraphQL shows it: apps are Bots named by slug. */
export function appComment(createdAt: string, body: string): FakeComment {
  return { author: "security-team", type: "Bot", createdAt, body };
}
export function personComment(login: string, createdAt: string, body = "An update."): FakeComment {
  return { author: login, type: "User", createdAt, body };
}

function commentNode(c: FakeComment) {
  return { author: { __typename: c.type, login: c.author }, createdAt: c.createdAt, body: c.body };
}

/** Comment pages the way GraphQL serves `last: n, before: cursor` (cursors are indexes here). */
function lastComments(issue: FakeIssue, count: number, before?: string) {
  const end = before === undefined ? issue.comments.length : Number(before);
  const start = Math.max(0, end - count);
  return {
    pageInfo: { hasPreviousPage: start > 0, startCursor: String(start) },
    nodes: issue.comments.slice(start, end).map(commentNode),
  };
}

export function mockTracker(issues: FakeIssue[], clock: { now: string }): void {
  const find = (n: string) => issues.find((i) => i.number === Number(n)) as FakeIssue;
  github()
    .persist()
    .post("/graphql")
    .reply(200, (_uri, body) => {
      const { query, variables } = body as { query: string; variables: Record<string, unknown> };
      if (query.includes("EarlierComments")) {
        const issue = find(String(variables.number));
        return {
          data: { repository: { issue: { comments: lastComments(issue, 100, variables.before as string) } } },
        };
      }
      const open = issues.filter((i) => i.labels.includes("security-report"));
      const start = variables.cursor ? Number(variables.cursor) : 0;
      const page = open.slice(start, start + 100);
      return {
        data: {
          repository: {
            issues: {
              pageInfo: { hasNextPage: start + 100 < open.length, endCursor: String(start + 100) },
              nodes: page.map((i) => ({
                number: i.number,
                createdAt: i.createdAt,
                body: i.body,
                author: { __typename: i.author.type, login: i.author.login },
                assignees: { nodes: i.assignees.slice(0, 2).map((login) => ({ login })) },
                labels: { nodes: i.labels.map((name) => ({ name })) },
                comments: lastComments(i, 50),
              })),
            },
          },
        },
      };
    })
    .post(/\/repos\/django\/security-reports\/issues\/\d+\/comments$/)
    .reply(201, (uri, body) => {
      const issue = find(uri.split("/")[5] as string);
      issue.comments.push(appComment(clock.now, (body as { body: string }).body));
      return exampleResponse("issues/create-comment", "201") as object;
    })
    .post(/\/repos\/django\/security-reports\/issues\/\d+\/labels$/)
    .reply(200, (uri, body) => {
      const issue = find(uri.split("/")[5] as string);
      issue.labels.push(...(body as { labels: string[] }).labels);
      return exampleResponse("issues/add-labels") as object;
    })
    .delete(/\/repos\/django\/security-reports\/issues\/\d+\/labels\/.+$/)
    .reply(200, (uri) => {
      const issue = find(uri.split("/")[5] as string);
      const name = decodeURIComponent(uri.split("/").pop() as string);
      issue.labels = issue.labels.filter((l) => l !== name);
      return exampleResponse("issues/remove-label") as object;
    });
}

/** The runtime a sweep gets, at `now`, with the test harness's GitHub. */
export function testRuntime(now: string, options: { dryRun?: boolean } = {}): Runtime {
  const octokit = new ProbotOctokit({
    auth: "test",
    retry: { enabled: false },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;
  return createRuntime({
    octokit,
    log: pino({ level: "silent" }),
    org: "django",
    env: { SECURITY_TEAM_NOW: now },
    self: async () => ({ appId: 123, login: APP_LOGIN }),
    dryRun: options.dryRun ?? false,
  });
}
