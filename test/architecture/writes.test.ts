import { describe, expect, it } from "vitest";
import { type GitHubCall, githubCallsIn } from "./github-calls.js";
import { parse, type SourceFile, sourceFiles } from "./sources.js";

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

function outsideExecutor(files: SourceFile[]): GitHubCall[] {
  return files
    .filter((f) => f.path !== EXECUTOR)
    .flatMap(githubCallsIn)
    .filter((c) => c.write);
}

function unexplained(writes: GitHubCall[]): string[] {
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
