import { vi } from "vitest";
import type { SyncOutcome } from "../../src/membership/sync.js";
import type { PollOutcome } from "../../src/reports/poll.js";
import { type SweepSteps, sweepSteps } from "../../src/sweep/sweep.js";

/** A team reconcile that found nothing to do (the sweep tests fake the reconcile). */
export const NOOP_SYNC: SyncOutcome = {
  status: "noop",
  summary: "",
  plan: { status: "noop", actions: [], errors: [] },
  failures: [],
};

/**
 * The sweep's steps with the advisories, the team and the reaffirmation faked (they have tests of
 * their own); the stale stages, the mirroring and the term ends are the real ones unless replaced.
 */
export function fakeSteps(advisories: PollOutcome = { open: 1, changed: 0, problems: [] }) {
  return {
    ...sweepSteps,
    pollAdvisories: vi.fn<SweepSteps["pollAdvisories"]>(async () => advisories),
    reconcileTeam: vi.fn<SweepSteps["reconcileTeam"]>(async () => NOOP_SYNC),
    advanceReaffirmation: vi.fn<SweepSteps["advanceReaffirmation"]>(async () => []),
  };
}
