import {
  buildClientSchema,
  execute,
  type GraphQLSchema,
  type IntrospectionQuery,
  parse,
  validate,
} from "graphql";
import { blobSha, type FakeComment, type FakeGitHub, type FakeIssue, type FakeRepo } from "./fake-github.js";

/**
 * GitHub's GraphQL API over the fake's state, for the subset the app reads: queries are parsed and
 * validated against GitHub's real schema (@octokit/graphql-schema) and executed with graphql-js,
 * so any query shape over this subset works:
 *
 *   repository(owner, name) {
 *     name nameWithOwner isPrivate visibility
 *     defaultBranchRef { name target { ...Commit } }
 *     object(oid | expression: "<sha or branch>") { ...Commit }
 *     Commit: oid file(path) { name path oid mode object { oid ... on Blob { text isTruncated } } }
 *             history(path, first/after) (the commits that changed `path`, newest first)
 *     issues(labels, states, first/after, last/before, orderBy: {field: CREATED_AT|UPDATED_AT, direction})
 *     issue(number)
 *   }
 *   Issue: id number title body url state createdAt updatedAt closedAt author { __typename login }
 *          assignees(first) labels(first) comments(first/after, last/before) — connections with
 *          nodes, totalCount and pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
 *   IssueComment: id body url createdAt updatedAt author { __typename login }
 *
 * A field outside the subset resolves to null; where GitHub's schema says non-null, that surfaces
 * as an error and the request is recorded as unsupported. Like GitHub, an app's login is its slug
 * (`security-team`, typename `Bot`), not `security-team[bot]`.
 */

let schema: GraphQLSchema | undefined;

async function githubSchema(): Promise<GraphQLSchema> {
  if (!schema) {
    const { schema: github } = (await import("@octokit/graphql-schema")) as unknown as {
      schema: { json: IntrospectionQuery };
    };
    schema = buildClientSchema(github.json);
  }
  return schema;
}

export interface GraphQLOutcome {
  body: { data?: unknown; errors?: { message: string }[] };
  /** Problems to flag: an invalid query, or one the fake cannot answer. */
  problems: string[];
}

export async function runGraphQL(
  fake: FakeGitHub,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLOutcome> {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch (error) {
    const message = (error as Error).message;
    return { body: { errors: [{ message }] }, problems: [`POST /graphql: ${message}`] };
  }
  const github = await githubSchema();
  const invalid = validate(github, document).map((e) => e.message);
  if (invalid.length > 0) {
    return {
      body: { errors: invalid.map((message) => ({ message })) },
      problems: invalid.map((m) => `POST /graphql: ${m}`),
    };
  }
  const result = await execute({
    schema: github,
    document,
    rootValue: root(fake),
    variableValues: variables,
  });
  const errors = (result.errors ?? []).map((e) => e.message);
  return {
    body: {
      data: result.data,
      ...(errors.length > 0 ? { errors: errors.map((message) => ({ message })) } : {}),
    },
    problems: errors.map((m) => `POST /graphql: the fake GitHub cannot answer: ${m}`),
  };
}

interface ConnectionArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

const cursorOf = (i: number) => Buffer.from(`cursor:${i}`).toString("base64");
const indexOf = (cursor: string) => Number(Buffer.from(cursor, "base64").toString("utf8").split(":")[1]);

/** A Relay connection over `all`, sliced like GitHub: first/after from the start, last/before from the end. */
function connection<T>(all: T[], args: ConnectionArgs) {
  let start = 0;
  let end = all.length;
  if (args.after) start = indexOf(args.after) + 1;
  if (args.before) end = indexOf(args.before);
  if (args.first !== undefined) end = Math.min(end, start + args.first);
  if (args.last !== undefined) start = Math.max(start, end - args.last);
  const nodes = all.slice(start, end);
  return {
    totalCount: all.length,
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: cursorOf(start + i) })),
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? cursorOf(start) : null,
      endCursor: nodes.length > 0 ? cursorOf(end - 1) : null,
    },
  };
}

function root(fake: FakeGitHub) {
  const actor = (login: string) =>
    login.endsWith("[bot]")
      ? { __typename: "Bot", login: login.slice(0, -"[bot]".length) }
      : { __typename: "User", login };

  const comment = (repo: FakeRepo, issue: FakeIssue, c: FakeComment) => ({
    id: `IC_${c.id}`,
    databaseId: c.id,
    body: c.body,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    url: `https://github.com/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${c.id}`,
    author: actor(c.user.login),
  });

  const issueNode = (repo: FakeRepo, issue: FakeIssue) => ({
    __typename: "Issue",
    id: `I_${repo.id}_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    url: `https://github.com/${repo.owner}/${repo.name}/issues/${issue.number}`,
    state: issue.state.toUpperCase(),
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at,
    author: actor(issue.user.login),
    assignees: (args: ConnectionArgs) =>
      connection(
        issue.assignees.map((login) => ({ login })),
        args,
      ),
    labels: (args: ConnectionArgs) =>
      connection(
        issue.labels.map((name) => ({ name })),
        args,
      ),
    comments: (args: ConnectionArgs) =>
      connection(
        issue.comments.map((c) => comment(repo, issue, c)),
        args,
      ),
  });

  /** The commits reachable from `oid`, newest first (parents only: the fake has no merges). */
  const ancestry = (repo: FakeRepo, oid: string): string[] => {
    const line: string[] = [];
    for (let at: string | undefined = oid; at; at = repo.parents.get(at)) line.push(at);
    return line;
  };

  const commitNode = (repo: FakeRepo, oid: string): Record<string, unknown> => {
    const tree = repo.commits.get(oid) ?? new Map<string, string>();
    return {
      __typename: "Commit",
      oid,
      file: ({ path }: { path: string }) => {
        const text = tree.get(path);
        if (text === undefined) return null;
        const sha = blobSha(text);
        const object = { __typename: "Blob", oid: sha, text, isTruncated: false };
        return { name: path.split("/").pop(), path, oid: sha, mode: 0o100644, object };
      },
      history: (args: ConnectionArgs & { path?: string }) => {
        const changed = ancestry(repo, oid).filter((sha) => {
          if (!args.path) return true;
          const parent = repo.parents.get(sha);
          return (
            repo.commits.get(sha)?.get(args.path) !== (parent && repo.commits.get(parent)?.get(args.path))
          );
        });
        return connection(
          changed.map((sha) => commitNode(repo, sha)),
          args,
        );
      },
    };
  };

  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = fake.repos.get(`${owner}/${name}`.toLowerCase());
      if (!repo) return null;
      return {
        name: repo.name,
        nameWithOwner: `${repo.owner}/${repo.name}`,
        isPrivate: repo.private,
        visibility: repo.private ? "PRIVATE" : "PUBLIC",
        defaultBranchRef: () => {
          const oid = repo.branches.get(repo.defaultBranch);
          if (!oid) return null;
          return { name: repo.defaultBranch, target: commitNode(repo, oid) };
        },
        object: ({ oid, expression }: { oid?: string; expression?: string }) => {
          const ref = oid ?? expression ?? "";
          const sha = repo.branches.get(ref) ?? ref;
          return repo.commits.has(sha) ? commitNode(repo, sha) : null;
        },
        issues: (
          args: ConnectionArgs & {
            labels?: string[];
            states?: string[];
            orderBy?: { field: string; direction: string };
          },
        ) => {
          const key = (i: FakeIssue) => (args.orderBy?.field === "UPDATED_AT" ? i.updated_at : i.created_at);
          const sign = args.orderBy?.direction === "DESC" ? -1 : 1;
          const issues = [...repo.issues.values()]
            .filter(
              (i) =>
                !i.pull &&
                (!args.states || args.states.includes(i.state.toUpperCase())) &&
                (!args.labels ||
                  args.labels.some((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase()))),
            )
            .sort((a, b) => (key(a) === key(b) ? a.number - b.number : key(a) < key(b) ? -1 : 1) * sign);
          return connection(
            issues.map((i) => issueNode(repo, i)),
            args,
          );
        },
        issue: ({ number }: { number: number }) => {
          const issue = repo.issues.get(number);
          return issue && !issue.pull ? issueNode(repo, issue) : null;
        },
      };
    },
  };
}
