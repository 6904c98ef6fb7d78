import { beforeEach, describe, expect, it, vi } from "vitest";
import { advanceReaffirmation } from "../../src/lifecycle/reaffirmation.js";
import { reconcileTeam } from "../../src/membership/sync.js";
import { pollAdvisories } from "../../src/reports/poll.js";
import { mirrorAdvisoryComments } from "../../src/signoff/mirror.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { github } from "../helpers/github.js";
import { NOOP_SYNC } from "./fixtures.js";
import { mockTracker, testRuntime, trackingIssue } from "./tracker.js";

vi.mock("../../src/reports/poll.js", () => ({ pollAdvisories: vi.fn() }));
vi.mock("../../src/membership/sync.js", () => ({ reconcileTeam: vi.fn() }));
vi.mock("../../src/signoff/mirror.js", () => ({ mirrorAdvisoryComments: vi.fn() }));
vi.mock("../../src/lifecycle/reaffirmation.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../src/lifecycle/reaffirmation.js")>()),
  advanceReaffirmation: vi.fn(),
}));

beforeEach(() => {
  vi.mocked(pollAdvisories).mockReset().mockResolvedValue({ open: 1, changed: 0, problems: [] });
  vi.mocked(reconcileTeam).mockReset().mockResolvedValue(NOOP_SYNC);
  vi.mocked(advanceReaffirmation).mockReset().mockResolvedValue([]);
  vi.mocked(mirrorAdvisoryComments).mockReset().mockResolvedValue([]);
});

const NOW = "2026-11-02T10:00:00Z";

describe("the sweep and advisory comments", () => {
  it("mirrors each open report's advisory comments when features.advisory_comments is on", async () => {
    const issues = [trackingIssue(1, "2026-11-01T10:00:00Z"), trackingIssue(2, "2026-11-01T11:00:00Z")];
    replyCharter(
      github(),
      EXAMPLE_CHARTER_TEXT.replace("advisory_comments: false", "advisory_comments: true"),
    );
    mockTracker(issues, { now: NOW });
    await sweepInstallation(testRuntime(NOW));
    const targets = vi.mocked(mirrorAdvisoryComments).mock.calls.flatMap(([, , page]) => page);
    expect(targets.map((issue) => issue.number)).toEqual([1, 2]);
    expect(targets[0]?.body).toContain("ghsa:GHSA-1xxx-yyyy-zzzz");
  });

  it("does not touch advisory comments when the feature is off", async () => {
    replyCharter(github());
    mockTracker([trackingIssue(1, "2026-11-01T10:00:00Z")], { now: NOW });
    await sweepInstallation(testRuntime(NOW));
    expect(mirrorAdvisoryComments).not.toHaveBeenCalled();
  });
});
