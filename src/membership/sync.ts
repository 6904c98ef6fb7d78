import type { Runtime } from "../core/context.js";

/** What a team reconcile did: applied, nothing to do, or refused by a safety valve (with the reason). */
export interface SyncOutcome {
  status: "applied" | "noop" | "refused" | "invalid-charter";
  /** One line per change, as in the plan. */
  summary: string;
}

/**
 * Makes the team equal to the charter on the default branch. Called on charter pushes, installs,
 * by the CLI (`apply`) and by every sweep. Implemented by the team-sync work (issue #3).
 */
export async function reconcileTeam(_rt: Runtime): Promise<SyncOutcome> {
  throw new Error("not implemented yet");
}
