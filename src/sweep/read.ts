import type { Charter } from "../charter/schema.js";
import type { GitHub } from "../core/executor.js";
import { type GraphQLActor, graphql, restLogin } from "../core/graphql.js";
import { type Identity, isOwn } from "../core/identity.js";
import { markersIn } from "../core/markers.js";
import { ghsaOf, trackerRef } from "../reports/tracking-markers.js";
import type { ReportComment, ReportSnapshot } from "./stages.js";

/**
 * Reads the open tracking issues a page at a time: ONE GraphQL query per 100 issues brings each
 * issue with its assignees, labels and last 50 comments. Only an issue with a longer thread costs
 * follow-up queries (100 earlier comments each), so that no `reminder:` marker is ever missed.
 * Pages are yielded as they arrive and comment bodies are reduced to markers at once: memory stays
 * flat however many reports are open. The repository's name and visibility and each issue's title
 * are not used here: they are for the write guard, which learns from every answer (disclosure.ts).
 */

export const ISSUES_PER_PAGE = 100;
const RECENT_COMMENTS = 50;

const COMMENT_FIELDS = "author { __typename login } createdAt body";

export const OPEN_REPORTS_QUERY = `query OpenReports($owner: String!, $repo: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    nameWithOwner visibility
    issues(states: OPEN, first: ${ISSUES_PER_PAGE}, after: $cursor, orderBy: { field: CREATED_AT, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        title
        createdAt
        body
        author { __typename login }
        assignees(first: 2) { nodes { login } }
        labels(first: 20) { nodes { name } }
        comments(last: ${RECENT_COMMENTS}) {
          pageInfo { hasPreviousPage startCursor }
          nodes { ${COMMENT_FIELDS} }
        }
      }
    }
  }
}`;

export const EARLIER_COMMENTS_QUERY = `query EarlierComments($owner: String!, $repo: String!, $number: Int!, $before: String) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      comments(last: 100, before: $before) {
        pageInfo { hasPreviousPage startCursor }
        nodes { ${COMMENT_FIELDS} }
      }
    }
  }
}`;

interface CommentNode {
  author: GraphQLActor | null;
  createdAt: string;
  body: string;
}

interface CommentPage {
  pageInfo: { hasPreviousPage: boolean; startCursor: string | null };
  nodes: CommentNode[];
}

interface IssueNode {
  number: number;
  createdAt: string;
  body: string;
  author: GraphQLActor | null;
  assignees: { nodes: { login: string }[] };
  labels: { nodes: { name: string }[] };
  comments: CommentPage;
}

interface OpenReportsResponse {
  repository: {
    issues: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: IssueNode[] };
  } | null;
}

interface EarlierCommentsResponse {
  repository: { issue: { comments: CommentPage } | null } | null;
}

function toComment(node: CommentNode, self: Identity): ReportComment {
  const author = restLogin(node.author);
  const own = isOwn({ user: { login: author } }, self);
  return { author, createdAt: new Date(node.createdAt), own, markers: own ? markersIn(node.body) : [] };
}

/** Each page of open tracking issues (the app's own issues with a GHSA marker, whatever their labels). */
export async function* openReportPages(
  octokit: GitHub,
  charter: Charter,
  self: Identity,
): AsyncGenerator<ReportSnapshot[]> {
  let cursor: string | null = null;
  do {
    // The raw response stays inside `readPage`, so it can be collected while the page is processed.
    const { page, next } = await readPage(octokit, charter, self, cursor);
    yield page;
    cursor = next;
  } while (cursor);
}

async function readPage(
  octokit: GitHub,
  charter: Charter,
  self: Identity,
  cursor: string | null,
): Promise<{ page: ReportSnapshot[]; next: string | null }> {
  const { owner, repo } = trackerRef(charter);
  const data: OpenReportsResponse = await graphql(octokit, OPEN_REPORTS_QUERY, {
    owner,
    repo,
    cursor,
  });
  if (!data.repository) throw new Error(`tracker repository ${charter.tracker} not found`);
  const { nodes, pageInfo } = data.repository.issues;
  const page: ReportSnapshot[] = [];
  for (const issue of nodes) {
    const tracking = { body: issue.body, user: { login: restLogin(issue.author) } };
    // Known by the app's marker, labelled or not: a removed label does not hide a report from the sweep.
    if (!ghsaOf(tracking, self)) continue;
    let comments = issue.comments.nodes.map((c) => toComment(c, self));
    if (issue.comments.pageInfo.hasPreviousPage) {
      comments = [
        ...(await earlierComments(octokit, owner, repo, issue.number, issue.comments, self)),
        ...comments,
      ];
    }
    page.push({
      number: issue.number,
      createdAt: new Date(issue.createdAt),
      assignees: issue.assignees.nodes.map((a) => a.login),
      labels: issue.labels.nodes.map((l) => l.name),
      comments,
      ...(charter.features.advisory_comments ? { issue: tracking } : {}),
    });
  }
  return { page, next: pageInfo.hasNextPage ? pageInfo.endCursor : null };
}

async function earlierComments(
  octokit: GitHub,
  owner: string,
  repo: string,
  number: number,
  recent: CommentPage,
  self: Identity,
): Promise<ReportComment[]> {
  const older: ReportComment[][] = [];
  let page = recent;
  while (page.pageInfo.hasPreviousPage && page.pageInfo.startCursor) {
    const data: EarlierCommentsResponse = await graphql(octokit, EARLIER_COMMENTS_QUERY, {
      owner,
      repo,
      number,
      before: page.pageInfo.startCursor,
    });
    const comments = data.repository?.issue?.comments;
    if (!comments) break;
    older.unshift(comments.nodes.map((c) => toComment(c, self)));
    page = comments;
  }
  return older.flat();
}
