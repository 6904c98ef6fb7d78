import { describe, expect, it } from "vitest";
import { type GitHubCall, githubCallsIn } from "./github-calls.js";
import { parse, type SourceFile, sourceFiles } from "./sources.js";

/**
 * GitHub is read through readers (README, "Development"): `src/github/` for what several capabilities
 * read, and a capability's own `read.ts` for the queries only it makes. Handlers, commands, runners
 * and planners call readers; they never call GitHub themselves.
 */
function isReader(path: string): boolean {
  return path.startsWith("github/") || path.endsWith("/read.ts");
}

/** Calls to GitHub outside the readers, each with its reason. */
const EXCEPTIONS: { file: string; why: string }[] = [
  {
    file: "core/executor.ts",
    why: "the one writer (its reads serve a write: the base branch and the file a pull request edits)",
  },
  { file: "core/identity.ts", why: "who the app is (GET /app), read once and cached for every reader" },
  {
    file: "core/advisory-comments.ts",
    why: "the one adapter for the advisory-comment routes Octokit has no typed method for; readers reach it through github/advisories.ts (checked below)",
  },
  {
    file: "cli/github.ts",
    why: "finds the org's installation (or the token's user) before any runtime exists",
  },
  {
    file: "scale/redeliver.ts",
    why: "the app's own webhook deliveries, read as the app (JWT), not as an installation",
  },
  {
    file: "sweep/schedule.ts",
    why: "the app's installations, read as the app (JWT), to schedule their sweeps",
  },
];

function outsideReaders(files: SourceFile[]): GitHubCall[] {
  return files
    .filter((f) => !isReader(f.path) && !EXCEPTIONS.some((e) => e.file === f.path))
    .flatMap(githubCallsIn)
    .filter((c) => !c.write); // writes outside the executor are writes.test.ts's business
}

describe("reads from GitHub", () => {
  const files = sourceFiles();

  it("go through the readers alone", () => {
    expect(outsideReaders(files).map((c) => `${c.at}: ${c.call}`)).toEqual([]);
  });

  it("lists no exception that no longer calls GitHub", () => {
    const stale = EXCEPTIONS.filter((e) => {
      const file = files.find((f) => f.path === e.file);
      return !file || githubCallsIn(file).every((c) => c.write);
    });
    expect(stale).toEqual([]);
  });

  it("of advisory comments go through github/advisories.ts, the adapter's one reader", () => {
    const callers = files
      .filter((f) => !["core/advisory-comments.ts", "github/advisories.ts"].includes(f.path))
      .filter((f) => /\blistAdvisoryComments\b/.test(f.ast.text))
      .map((f) => f.path);
    expect(callers).toEqual([]);
  });

  it("are found however they are written (a control with reads in and out of readers)", () => {
    const source = [
      "await ctx.octokit.rest.issues.get({ owner, repo, issue_number });",
      "await octokit.paginate(octokit.rest.issues.listComments, { per_page: 100 });",
      `await octokit.request(\`GET \${COMMENTS}\`, {});`,
      "await graphql(octokit, `query { viewer { login } }`, {});",
      "const { a, ...rest } = thing;",
    ].join("\n");
    const handler = parse("reports/handlers.ts", source);
    const readers = [parse("github/issues.ts", source), parse("reports/read.ts", source)];
    expect(outsideReaders([handler, ...readers]).map((c) => `${c.at}: ${c.call}`)).toEqual([
      "src/reports/handlers.ts:1: GET /repos/{owner}/{repo}/issues/{issue_number}",
      "src/reports/handlers.ts:2: GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "src/reports/handlers.ts:3: GET {COMMENTS}",
      "src/reports/handlers.ts:4: GraphQL query",
    ]);
  });
});
