import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../core/context.js";

/**
 * The annual reaffirmation, advanced by every sweep: opens the issue on the charter's date, updates
 * it, and after the grace period opens the charter PR. Implemented by the lifecycle work (issue #8).
 */
export async function advanceReaffirmation(_rt: Runtime, _charter: Charter): Promise<string[]> {
  return [];
}
