import { teamKey } from "../core/serialize.js";
import { reconcileTeam } from "../membership/sync.js";
import { withSharedLocks } from "../scale/locks.js";
import { cliRuntime } from "./github.js";
import { parseSyncArgs, syncJson } from "./plan.js";
import type { CliCommand } from "./types.js";

/** Applies the charter on the default branch only: a local file never reaches the team unreviewed. */
export const applyCommand: CliCommand = {
  name: "apply",
  usage: "security-team apply --org ORG [--json]",
  summary: "make the GitHub team match the charter on the default branch (same valves as the app)",
  async run(args, io) {
    const options = parseSyncArgs(args, false);
    const rt = await cliRuntime(options.org as string, io.env, false);
    const outcome = await withSharedLocks(io.env, rt, () =>
      rt.locks.run(teamKey(rt.org), () => reconcileTeam(rt)),
    );
    io.out(options.json ? syncJson(outcome.plan, outcome.status, outcome.failures) : outcome.summary);
    const ok = outcome.status === "noop" || (outcome.status === "applied" && outcome.failures.length === 0);
    return ok ? 0 : 1;
  },
};
