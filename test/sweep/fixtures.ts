import type { SyncOutcome } from "../../src/membership/sync.js";

/** A team reconcile that found nothing to do (the sweep tests mock the reconcile). */
export const NOOP_SYNC: SyncOutcome = {
  status: "noop",
  summary: "",
  plan: { status: "noop", actions: [], errors: [] },
  failures: [],
};
