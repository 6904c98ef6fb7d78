import { beforeEach, describe, expect, it, vi } from "vitest";
import type { cliRuntime } from "../../src/cli/github.js";
import { main } from "../../src/cli/main.js";
import { createSweepCommand } from "../../src/cli/sweep.js";
import type { CliIO } from "../../src/cli/types.js";
import { type SweepSteps, sweepSteps } from "../../src/sweep/sweep.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { NOOP_SYNC } from "./fixtures.js";
import { mockTracker, testRuntime, trackingIssue } from "./tracker.js";

// The CLI's credentials are another test's business: here it gets the harness's runtime.
const runtime = vi.fn<typeof cliRuntime>(async (_org, env, dryRun) =>
  testRuntime(env.SECURITY_TEAM_NOW as string, { dryRun }),
);
// The advisory poll, the team and the reaffirmation have their own tests: here they are fakes.
const steps = {
  ...sweepSteps,
  pollAdvisories: vi.fn<SweepSteps["pollAdvisories"]>(),
  reconcileTeam: vi.fn<SweepSteps["reconcileTeam"]>(),
  advanceReaffirmation: vi.fn<SweepSteps["advanceReaffirmation"]>(),
};
const commands = [createSweepCommand({ runtime, steps })];

const NOW = "2026-11-22T12:00:00Z";

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: { SECURITY_TEAM_NOW: NOW, ...env },
  };
  return { cli, out, err };
}

beforeEach(() => {
  runtime.mockClear();
  steps.pollAdvisories.mockReset().mockResolvedValue({ open: 2, changed: 0, problems: [] });
  steps.reconcileTeam.mockReset().mockResolvedValue(NOOP_SYNC);
  steps.advanceReaffirmation.mockReset().mockResolvedValue([]);
});

function mockGitHub() {
  replyCharter(github());
  mockTracker([trackingIssue(7, "2026-10-01T10:00:00Z"), trackingIssue(8, "2026-11-21T10:00:00Z")], {
    now: NOW,
  });
}

describe("security-team sweep", () => {
  it("--dry-run --verbose prints what would be done and writes nothing", async () => {
    mockGitHub();
    const { cli, out } = io();
    expect(await main(["sweep", "--org", "django", "--dry-run", "--verbose"], cli, commands)).toBe(0);
    expect(runtime).toHaveBeenCalledWith("django", cli.env, true, { appOnly: true });
    expect(recordedWrites()).toEqual([]);
    expect(recordedCalls().map((c) => c.method)).toEqual(["GET", "POST"]); // the charter, one GraphQL query
    await expect(out.join("\n")).toMatchFileSnapshot("__golden__/cli-dry-run.txt");
  });

  it("without --verbose names no advisory or tracking issue and gives no count or age (an Actions log is public)", async () => {
    steps.pollAdvisories.mockResolvedValue({
      open: 2,
      changed: 0,
      problems: ["tracking issue #8 does not name its advisory's repository"],
    });
    mockGitHub();
    const text = io();
    expect(await main(["sweep", "--org", "django", "--dry-run"], text.cli, commands)).toBe(0);
    mockGitHub();
    const json = io();
    expect(await main(["sweep", "--org", "django", "--dry-run", "--json"], json.cli, commands)).toBe(0);
    mockGitHub();
    const verbose = io();
    expect(await main(["sweep", "--org", "django", "--dry-run", "--verbose"], verbose.cli, commands)).toBe(0);

    expect(text.out.join("\n")).toBe(
      [
        "Sweep of django (dry run: nothing written)",
        "advisories: problems (details with --verbose, where the output stays private)",
        "team: noop",
        "reports: ok",
      ].join("\n"),
    );
    expect(JSON.parse(json.out.join("\n"))).toEqual({
      org: "django",
      dryRun: true,
      charter: "ok",
      advisories: "problems",
      team: NOOP_SYNC,
      reports: "ok",
      reaffirmation: [],
      terms: [],
      failures: [],
    });
    // The control: --verbose shows what the quiet output leaves out.
    const leaks = [/#[78]\b/, /\b2 open\b/, /30 days/, /GHSA-/i];
    expect(verbose.out.join("\n")).toMatch(leaks[0] as RegExp);
    expect(verbose.out.join("\n")).toMatch(leaks[1] as RegExp);
    expect(verbose.out.join("\n")).toMatch(leaks[2] as RegExp);
    for (const leak of leaks) {
      expect(text.out.join("\n")).not.toMatch(leak);
      expect(json.out.join("\n")).not.toMatch(leak);
    }
  });

  it("--json --verbose prints the whole summary for machines", async () => {
    mockGitHub();
    const { cli, out } = io({ GITHUB_REPOSITORY_OWNER: "django" });
    expect(await main(["sweep", "--dry-run", "--json", "--verbose"], cli, commands)).toBe(0);
    expect(runtime).toHaveBeenCalledWith("django", cli.env, true, { appOnly: true });
    const summary = JSON.parse(out.join("\n"));
    expect(summary).toMatchObject({ org: "django", dryRun: true, charter: "ok", reports: { open: 2 } });
    expect(summary.reports.actions).toHaveLength(2);
  });

  it("exits 1 and says why when the charter is invalid", async () => {
    replyCharter(github(), EXAMPLE_CHARTER_TEXT.replace("version: 1", "version: 2"));
    const { cli, out } = io();
    expect(await main(["sweep", "--org", "django"], cli, commands)).toBe(1);
    expect(out.join("\n")).toMatch(
      /^Sweep of django\ncharter invalid: nothing done\n {2}\.github\/security-charter\.yml:\d+:\d+: version/,
    );
  });

  it("exits 2 without an org", async () => {
    const { cli, err } = io();
    expect(await main(["sweep"], cli, commands)).toBe(2);
    expect(err.join("\n")).toContain("--org is required (or set GITHUB_REPOSITORY_OWNER)");
    expect(runtime).not.toHaveBeenCalled();
  });
});
