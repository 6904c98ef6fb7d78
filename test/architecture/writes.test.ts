import { ProbotOctokit } from "probot";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse, type SourceFile, sourceFiles, where } from "./sources.js";

/**
 * Only the executor (`src/core/executor.ts`) writes to GitHub: that is where dry-run, the audit log,
 * the disclosure guard and retries hold. This reads every source file for a request that could
 * write: an Octokit method whose route is not GET or HEAD, a route string with another verb, a route
 * the reader cannot see (a variable, `rest` passed around), or a GraphQL mutation.
 */
const EXECUTOR = "core/executor.ts";

/** Writes outside the executor, each with its reason. */
const EXCEPTIONS: { file: string; call: string; why: string }[] = [
  {
    file: "core/advisory-comments.ts",
    call: "POST {COMMENTS}",
    why: "the adapter for preview routes Octokit has no typed method for; only the executor calls addAdvisoryComment (checked below)",
  },
  {
    file: "scale/redeliver.ts",
    call: "POST /app/hook/deliveries/{delivery_id}/attempts",
    why: "asks GitHub to resend the app's own failed deliveries, as the app (JWT): it changes nothing in an org",
  },
  {
    file: "core/graphql.ts",
    call: "POST /graphql",
    why: "GraphQL queries are POSTs; a mutation anywhere is a write, found on its own",
  },
];

const READ_VERBS = new Set(["GET", "HEAD"]);
const octokit = new ProbotOctokit() as unknown as {
  rest: Record<string, Record<string, { endpoint?: { DEFAULTS: { method: string; url: string } } }>>;
};

interface Write {
  file: string;
  call: string;
  at: string;
}

/** `x.rest.ns.method`: the route Octokit's method sends. */
function restRoute(node: ts.PropertyAccessExpression): string | undefined {
  const ns = node.expression;
  if (!ts.isPropertyAccessExpression(ns)) return undefined;
  const rest = ns.expression;
  if (!ts.isPropertyAccessExpression(rest) || rest.name.text !== "rest") return undefined;
  const defaults = octokit.rest[ns.name.text]?.[node.name.text]?.endpoint?.DEFAULTS;
  return defaults
    ? `${defaults.method} ${defaults.url}`
    : `unknown route rest.${ns.name.text}.${node.name.text}`;
}

/** The route a `request`/`paginate` argument names, when it is written out (`${X}` reads `{X}`). */
function literalRoute(node: ts.Expression): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return (
      node.head.text + node.templateSpans.map((s) => `{${s.expression.getText()}}${s.literal.text}`).join("")
    );
  }
  return undefined;
}

const ROUTE_CALLS = new Set(["request", "paginate", "iterator"]);
const MUTATION = /\bmutation\b\s*[\w({]/;

function writesIn(file: SourceFile): Write[] {
  const found: Write[] = [];
  const add = (call: string, node: ts.Node) => found.push({ file: file.path, call, at: where(file, node) });
  const isWrite = (route: string) => !READ_VERBS.has(route.split(" ")[0] ?? "");
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === "rest") {
      const ns = node.parent;
      const method = ns?.parent;
      if (!ts.isPropertyAccessExpression(ns) || !method || !ts.isPropertyAccessExpression(method)) {
        add(`rest used without naming its method (${node.parent.getText().slice(0, 60)})`, node);
      } else {
        const route = restRoute(method);
        if (route && isWrite(route)) add(route, method);
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const [first] = node.arguments;
      if (ROUTE_CALLS.has(node.expression.name.text) && first && !isRestMethod(first)) {
        const route = literalRoute(first);
        if (route === undefined)
          add(`${node.expression.name.text}(${first.getText()}): route not written out`, node);
        else if (isWrite(route)) add(route, node);
      }
    }
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (MUTATION.test(node.text)) add("GraphQL mutation", node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return found;
}

function isRestMethod(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && restRoute(node) !== undefined;
}

function outsideExecutor(files: SourceFile[]): Write[] {
  return files.filter((f) => f.path !== EXECUTOR).flatMap(writesIn);
}

function unexplained(writes: Write[]): string[] {
  return writes
    .filter((w) => !EXCEPTIONS.some((e) => e.file === w.file && w.call === e.call))
    .map((w) => `${w.at}: ${w.call}`);
}

describe("writes to GitHub", () => {
  const files = sourceFiles();

  it("are made by the executor alone", () => {
    expect(unexplained(outsideExecutor(files))).toEqual([]);
  });

  it("lists no exception that no longer exists", () => {
    const writes = outsideExecutor(files);
    const stale = EXCEPTIONS.filter((e) => !writes.some((w) => w.file === e.file && w.call === e.call));
    expect(stale).toEqual([]);
  });

  it("through the advisory-comments adapter come from the executor only", () => {
    const callers = files
      .filter((f) => f.path !== EXECUTOR && f.path !== "core/advisory-comments.ts")
      .filter((f) => /\baddAdvisoryComment\b/.test(f.ast.text))
      .map((f) => f.path);
    expect(callers).toEqual([]);
  });

  it("are found however they are written (a control with writes and reads)", () => {
    const bad = parse(
      "reports/bad.ts",
      [
        "await ctx.octokit.rest.issues.createComment({ owner, repo, issue_number, body });",
        "await octokit.paginate(octokit.rest.issues.addLabels, {});",
        'await octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {});',
        `await octokit.request(\`PATCH \${ROUTE}\`, {});`,
        "await octokit.request(route, {});",
        "const { issues } = octokit.rest;",
        "await graphql(octokit, `mutation { addComment(input: $input) { clientMutationId } }`, {});",
      ].join("\n"),
    );
    const good = parse(
      "reports/good.ts",
      [
        "await ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, { per_page: 100 });",
        "await octokit.rest.repos.checkPrivateVulnerabilityReporting({ owner, repo });",
        `await octokit.request(\`GET \${COMMENTS}\`, {});`,
        "await graphql(octokit, `query { viewer { login } }`, {});",
        "const { a, ...rest } = thing;",
      ].join("\n"),
    );
    expect(unexplained(outsideExecutor([bad, good]))).toEqual([
      "src/reports/bad.ts:1: POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "src/reports/bad.ts:2: POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      "src/reports/bad.ts:3: DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
      "src/reports/bad.ts:4: PATCH {ROUTE}",
      "src/reports/bad.ts:5: request(route): route not written out",
      "src/reports/bad.ts:6: rest used without naming its method ({ issues } = octokit.rest)",
      "src/reports/bad.ts:7: GraphQL mutation",
    ]);
  });
});
