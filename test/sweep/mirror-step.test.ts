import { beforeEach, describe, expect, it, vi } from "vitest";
import { type SweepSteps, sweepInstallation } from "../../src/sweep/sweep.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { github } from "../helpers/github.js";
import { fakeSteps } from "./fixtures.js";
import { mockTracker, testRuntime, trackingIssue } from "./tracker.js";

let mirrorAdvisoryComments: ReturnType<typeof vi.fn<SweepSteps["mirrorAdvisoryComments"]>>;
let steps: SweepSteps;
beforeEach(() => {
  mirrorAdvisoryComments = vi.fn<SweepSteps["mirrorAdvisoryComments"]>(async () => []);
  steps = { ...fakeSteps(), mirrorAdvisoryComments };
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
    await sweepInstallation(testRuntime(NOW), steps);
    const targets = mirrorAdvisoryComments.mock.calls.flatMap(([, , page]) => page);
    expect(targets.map((issue) => issue.number)).toEqual([1, 2]);
    expect(targets[0]?.body).toContain("ghsa:GHSA-1xxx-yyyy-zzzz");
  });

  it("does not touch advisory comments when the feature is off", async () => {
    replyCharter(github());
    mockTracker([trackingIssue(1, "2026-11-01T10:00:00Z")], { now: NOW });
    await sweepInstallation(testRuntime(NOW), steps);
    expect(mirrorAdvisoryComments).not.toHaveBeenCalled();
  });
});
