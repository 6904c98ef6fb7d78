import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { FakeGitHub } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

const NOW = "2026-11-22T12:00:00Z";
const CHARTER_REPO = "django/.github";
const TRACKER = "django/security-reports";
let fake: FakeGitHub;

/** A healthy installation: every check passes. Each test breaks one thing, as an operator might. */
beforeEach(async () => {
  fake = new FakeGitHub({ now: () => new Date(NOW) });
  await fake.start();
  fake.addOrg("django");
  fake.addTeam("django", "django-security-team");
  const charterRepo = fake.addRepo(CHARTER_REPO);
  fake.setFile(CHARTER_REPO, ".github/security-charter.yml", EXAMPLE_CHARTER_TEXT);
  charterRepo.privateReporting = true;
  charterRepo.protectionChecks = [{ context: "charter", app_id: fake.appId }];
  charterRepo.strictChecks = true;
  fake.addRepo(TRACKER, { private: true });
  fake.addRepo("django/django").privateReporting = true;
  deliveries(delivery("issue_comment", 200, "2026-11-22T10:00:00Z"));
});

afterEach(async () => {
  await fake.stop();
});

/** Records deliveries on the fake GitHub, oldest first, as GitHub made them. */
function deliveries(
  ...rows: { event: string; status_code: number; delivered_at: string; guid?: string }[]
): void {
  const oldestFirst = [...rows].sort((a, b) => a.delivered_at.localeCompare(b.delivered_at));
  for (const row of oldestFirst) {
    fake.recordDelivery({
      guid: `${row.event}-${row.delivered_at}`,
      action: "created",
      installation_id: 42,
      ...row,
    });
  }
}

function delivery(event: string, status_code: number, delivered_at: string, guid?: string) {
  return { event, status_code, delivered_at, ...(guid ? { guid } : {}) };
}

async function doctor(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    APP_ID: String(fake.appId),
    PRIVATE_KEY: TEST_PRIVATE_KEY,
    GHE_HOST: fake.baseUrl.replace("http://", ""),
    GHE_PROTOCOL: "http",
    SECURITY_TEAM_NOW: NOW,
  };
  const code = await main(["doctor", "--org", "django", ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The lines of one check (its verdict and fix) in the text output. */
function lines(out: string, name: string): string[] {
  const all = out.split("\n");
  const at = all.findIndex((l) => l.slice(2).startsWith(`${name}:`));
  if (at < 0) return [];
  return [all[at] as string, ...(all[at + 1]?.startsWith("    fix:") ? [all[at + 1] as string] : [])];
}

describe("security-team doctor", () => {
  it("positive control: a healthy installation passes every check, exit 0, and nothing is written", async () => {
    const r = await doctor();
    expect(r.err).toBe("");
    expect(r.out).toBe(
      [
        "Installation of the app on django:",
        "✓ permissions: the installation grants every permission app.yml asks for",
        "✓ events: the installation receives every event app.yml subscribes to",
        "✓ charter: django/.github:.github/security-charter.yml is valid (7 members)",
        "✓ team: django/django-security-team exists",
        "✓ tracker: django/security-reports exists and is private",
        "✓ private reporting: on in all 2 public repositories the app can see",
        "✓ required check: `charter` is required on django/.github@main, pinned to this app (branch protection)",
        "✓ webhook deliveries: no failed deliveries in the last 7 days",
        "✓ sweep workflow: no workflow runs `security-team sweep` in the 2 public repositories the app can see",
        "",
        "All 9 checks passed.",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
    expect(fake.writes()).toEqual([]);
  });

  it("a permission the installation lacks", async () => {
    fake.org("django").permissions = {
      issues: "write",
      pull_requests: "write",
      checks: "write",
      contents: "write",
      metadata: "read",
      members: "read",
    };
    const r = await doctor();
    expect(lines(r.out, "permissions")).toEqual([
      "✗ permissions: the installation lacks members: write (granted: read), repository_advisories: write (granted: none)",
      "    fix: grant them in the app's settings (Permissions & events), then an org owner accepts the new permissions on the installation",
    ]);
    expect(r.code).toBe(1);
  });

  it("an event the installation does not receive", async () => {
    fake.org("django").events = ["push", "pull_request", "issues", "issue_comment"];
    const r = await doctor();
    expect(lines(r.out, "events")[0]).toBe(
      "✗ events: the installation does not receive pull_request_review, membership, repository_advisory, check_run, check_suite",
    );
    expect(r.code).toBe(1);
  });

  it("the tracker is public", async () => {
    fake.repo(TRACKER).private = false;
    fake.repo(TRACKER).privateReporting = true;
    const r = await doctor();
    expect(lines(r.out, "tracker")).toEqual([
      "✗ tracker: the tracker django/security-reports is public: the app writes no report there",
      "    fix: make it private: `gh repo edit django/security-reports --visibility private --accept-visibility-change-consequences`",
    ]);
    expect(r.code).toBe(1);
  });

  it("the team is missing (renamed or deleted)", async () => {
    fake.org("django").teams.delete("django-security-team");
    const r = await doctor();
    expect(lines(r.out, "team")).toEqual([
      "✗ team: the team django/django-security-team named by the charter does not exist (renamed or deleted?)",
      "    fix: create it (`gh api -X POST orgs/django/teams -f name=django-security-team -f privacy=closed`), or set `team:` in the charter to the team's current slug",
    ]);
    expect(r.code).toBe(1);
  });

  it("the charter is invalid: its errors with line and column; team and tracker are not checked", async () => {
    fake.setFile(
      CHARTER_REPO,
      ".github/security-charter.yml",
      EXAMPLE_CHARTER_TEXT.replace(/^team: .*$/m, "team: 42"),
    );
    const r = await doctor();
    expect(lines(r.out, "charter")[0]).toMatch(
      /^✗ charter: django\/\.github:\.github\/security-charter\.yml is invalid: \.github\/security-charter\.yml:5:\d+: /,
    );
    expect(lines(r.out, "team")).toEqual(["✗ team: not checked: needs a valid charter"]);
    expect(r.code).toBe(1);
  });

  it("the charter is missing", async () => {
    fake.setFile(CHARTER_REPO, ".github/security-charter.yml", null);
    const r = await doctor();
    expect(lines(r.out, "charter")).toEqual([
      "✗ charter: no charter at django/.github:.github/security-charter.yml",
      "    fix: commit one there (start from config/charter.example.yml), or set CHARTER_REPO/CHARTER_PATH to where it is",
    ]);
  });

  it("private vulnerability reporting is off in a public repository (private and archived ones are not asked)", async () => {
    fake.addRepo("django/asgiref");
    fake.addRepo("django/old").archived = true;
    const r = await doctor();
    expect(lines(r.out, "private reporting")).toEqual([
      "✗ private reporting: private vulnerability reporting is off in django/asgiref",
      "    fix: turn it on in each (Settings → Security → Private vulnerability reporting, or `gh api -X PUT repos/OWNER/REPO/private-vulnerability-reporting`)",
    ]);
    const asked = fake.requests
      .filter((q) => q.path.endsWith("/private-vulnerability-reporting"))
      .map((q) => q.path);
    expect(asked.sort()).toEqual([
      "/api/v3/repos/django/.github/private-vulnerability-reporting",
      "/api/v3/repos/django/asgiref/private-vulnerability-reporting",
      "/api/v3/repos/django/django/private-vulnerability-reporting",
    ]);
    expect(r.code).toBe(1);
  });

  it("the charter check is not required, or required but not pinned to this app", async () => {
    fake.repo(CHARTER_REPO).protectionChecks = [];
    const notRequired = await doctor();
    expect(lines(notRequired.out, "required check")).toEqual([
      "✗ required check: `charter` is not a required check on django/.github@main",
      '    fix: require the `charter` check on django/.github@main pinned to app id 123 (branch protection `checks: [{context: "charter", app_id: 123}]` or a ruleset with `integration_id: 123`; see the README, "Making the check required")',
    ]);
    expect(notRequired.code).toBe(1);

    fake.repo(CHARTER_REPO).rulesetChecks = [{ context: "charter", integration_id: null }];
    const unpinned = await doctor();
    expect(lines(unpinned.out, "required check")[0]).toBe(
      "✗ required check: `charter` is required on django/.github@main but not pinned to this app: any app or workflow can post a passing `charter`",
    );

    fake.repo(CHARTER_REPO).rulesetChecks = [{ context: "charter", integration_id: fake.appId }];
    const pinned = await doctor();
    expect(lines(pinned.out, "required check")[0]).toBe(
      "✓ required check: `charter` is required on django/.github@main, pinned to this app (ruleset)",
    );
  });

  it("warns (exit 0) when the pinned check does not require pull requests to be up to date, naming the fix", async () => {
    const warning = [
      "! required check: `charter` is required on django/.github@main, pinned to this app (branch protection), but pull requests need not be up to date with main: a run computed before the charter last changed can still let one merge (a charter push judges at most 50 open pull requests again)",
      "    fix: require branches to be up to date before merging (branch protection `required_status_checks.strict: true`, or the ruleset's `strict_required_status_checks_policy: true`)",
    ];
    fake.repo(CHARTER_REPO).strictChecks = false;
    const protection = await doctor();
    expect(lines(protection.out, "required check")).toEqual(warning);
    expect(protection.out).toMatch(/All 9 checks passed \(1 warning\)\.$/);
    expect(protection.code).toBe(0);

    fake.repo(CHARTER_REPO).protectionChecks = [];
    fake.repo(CHARTER_REPO).rulesetChecks = [{ context: "charter", integration_id: fake.appId }];
    const ruleset = await doctor();
    expect(lines(ruleset.out, "required check")[0]).toBe(
      (warning[0] as string).replace("(branch protection)", "(ruleset)"),
    );

    // Control: the same ruleset requiring pull requests to be up to date passes.
    fake.repo(CHARTER_REPO).strictChecks = true;
    const strict = await doctor();
    expect(lines(strict.out, "required check")[0]).toBe(
      "✓ required check: `charter` is required on django/.github@main, pinned to this app (ruleset)",
    );
  });

  it("failed webhook deliveries of the last 7 days, not counting ones redelivered successfully", async () => {
    deliveries(
      delivery("issues", 200, "2026-11-22T11:30:00Z", "redelivered"), // the redelivery succeeded
      delivery("issue_comment", 500, "2026-11-22T11:00:00Z"),
      delivery("repository_advisory", 502, "2026-11-21T09:00:00Z"),
      delivery("issues", 500, "2026-11-20T09:00:00Z", "redelivered"),
      delivery("push", 500, "2026-11-01T09:00:00Z"), // older than 7 days
    );
    const r = await doctor();
    expect(lines(r.out, "webhook deliveries")).toEqual([
      "✗ webhook deliveries: 2 webhook deliveries failed in the last 7 days (newest: issue_comment.created at 2026-11-22T11:00:00Z, HTTP 500)",
      "    fix: find the cause in the server's log, then redeliver them from the app's settings (Advanced → Recent deliveries): every handler is idempotent",
    ]);
    expect(r.code).toBe(1);
  });

  it("warns when the sweep workflow sits in a public repository (a warning: exit 0)", async () => {
    const workflow = "jobs:\n  sweep:\n    steps:\n      - run: npx security-team sweep --org django\n";
    fake.setFile("django/django", ".github/workflows/sweep.yml", workflow);
    fake.setFile(
      "django/django",
      ".github/workflows/tests.yml",
      "jobs:\n  test:\n    steps:\n      - run: npm test\n",
    );
    fake.setFile(TRACKER, ".github/workflows/sweep.yml", workflow); // private: fine, and not read
    const r = await doctor();
    expect(lines(r.out, "sweep workflow")).toEqual([
      "! sweep workflow: django/django/.github/workflows/sweep.yml runs `security-team sweep` in a public repository: anyone can read its Actions logs",
      "    fix: run it from a private repository (move the workflow and its secrets there), or make django/django private",
    ]);
    expect(r.out).toMatch(/All 9 checks passed \(1 warning\)\.$/);
    expect(r.code).toBe(0);
    expect(fake.requests.some((q) => q.path.includes("/repos/django/security-reports/contents"))).toBe(false);
  });

  it("a check GitHub refuses to answer names the permission and fails", async () => {
    fake.denyPermission("GET", /\/private-vulnerability-reporting$/, "administration=read");
    const r = await doctor();
    expect(lines(r.out, "private reporting")[0]).toBe(
      "✗ private reporting: could not check: 2 repositories: GitHub answered 403 (needs administration=read): Resource not accessible by integration",
    );
    expect(r.code).toBe(1);
  });

  it("--json: every check with its status, detail and fix", async () => {
    fake.org("django").teams.delete("django-security-team");
    const r = await doctor("--json");
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(false);
    expect(report.org).toBe("django");
    expect(report.checks.map((c: { name: string; status: string }) => `${c.name}: ${c.status}`)).toEqual([
      "permissions: passed",
      "events: passed",
      "charter: passed",
      "team: failed",
      "tracker: passed",
      "private reporting: passed",
      "required check: passed",
      "webhook deliveries: passed",
      "sweep workflow: passed",
    ]);
    expect(report.checks[3].fix).toMatch(/^create it/);
    expect(r.code).toBe(1);
  });
});
