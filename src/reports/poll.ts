import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../core/context.js";

export interface PollOutcome {
  /** Advisories in triage or draft seen. */
  open: number;
  /** Tracking issues created, closed or reopened, collaborators fixed. */
  changed: number;
  /** Problems to report without report details (e.g. the tracker is public). */
  problems: string[];
}

/**
 * Polls the org's triage/draft advisories (GitHub sends no webhook for most changes) and brings the
 * tracking issues and advisory collaborators in line. Used by the sweep and `security-team sweep`.
 * Implemented by the reports work (issue #5).
 */
export async function pollAdvisories(_rt: Runtime, _charter: Charter): Promise<PollOutcome> {
  throw new Error("not implemented yet");
}
