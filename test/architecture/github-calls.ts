import { ProbotOctokit } from "probot";
import ts from "typescript";
import { type SourceFile, where } from "./sources.js";

/**
 * Every call to GitHub in a source file, as the reader of the code sees it: an Octokit method
 * (`x.rest.ns.method`, its route from Octokit's own table), a route string passed to `request`,
 * `paginate` or `iterator`, a GraphQL call (`graphql(…)`), a GraphQL mutation in any string, and
 * anything that hides its route (a variable route, `rest` passed around). Unknown routes count as writes.
 */
export interface GitHubCall {
  file: string;
  call: string;
  at: string;
  write: boolean;
}

const READ_VERBS = new Set(["GET", "HEAD"]);
const octokit = new ProbotOctokit() as unknown as {
  rest: Record<string, Record<string, { endpoint?: { DEFAULTS: { method: string; url: string } } }>>;
};

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

export function githubCallsIn(file: SourceFile): GitHubCall[] {
  const found: GitHubCall[] = [];
  const add = (call: string, node: ts.Node, write: boolean) =>
    found.push({ file: file.path, call, at: where(file, node), write });
  const isWrite = (route: string) => !READ_VERBS.has(route.split(" ")[0] ?? "");
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === "rest") {
      const ns = node.parent;
      const method = ns?.parent;
      if (!ts.isPropertyAccessExpression(ns) || !method || !ts.isPropertyAccessExpression(method)) {
        add(`rest used without naming its method (${node.parent.getText().slice(0, 60)})`, node, true);
      } else {
        const route = restRoute(method);
        if (route) add(route, method, isWrite(route));
      }
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : undefined;
      const [first] = node.arguments;
      if (
        ts.isPropertyAccessExpression(callee) &&
        name &&
        ROUTE_CALLS.has(name) &&
        first &&
        !isRestMethod(first)
      ) {
        const route = literalRoute(first);
        if (route === undefined) add(`${name}(${first.getText()}): route not written out`, node, true);
        else add(route, node, isWrite(route));
      }
      if (name === "graphql") add("GraphQL query", node, false);
    }
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (MUTATION.test(node.text)) add("GraphQL mutation", node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return found;
}

function isRestMethod(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && restRoute(node) !== undefined;
}
