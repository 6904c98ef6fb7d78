import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { formatError, loadCharter } from "../charter/loader.js";
import type { Runtime } from "../context.js";
import { now } from "../core/clock.js";
import type { TeamAction } from "../membership/plan.js";
import { planReconcile, renderSyncSummary, type SyncFailure, type SyncPlan } from "../membership/sync.js";
import { cliRuntime } from "./github.js";
import { type CliCommand, type CliIO, UsageError } from "./types.js";

export interface SyncArgs {
  org?: string;
  charter?: string;
  json: boolean;
}

export function parseSyncArgs(args: string[], allowCharter: boolean): SyncArgs {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: "string" },
      json: { type: "boolean", default: false },
      ...(allowCharter ? { charter: { type: "string" as const } } : {}),
    },
  });
  const parsed = values as SyncArgs;
  if (!parsed.org && !parsed.charter) {
    throw new UsageError(
      allowCharter ? "--org ORG is required unless --charter FILE names the org" : "--org ORG is required",
    );
  }
  return parsed;
}

/** The plan and its outcome for machines: one object, stable keys. */
export function syncJson(plan: SyncPlan, status: string, failures: SyncFailure[] = []) {
  return JSON.stringify(
    {
      status,
      team: plan.team ?? null,
      changes: plan.actions.map((a: TeamAction) => ({
        kind: a.kind,
        login: a.login,
        ...("role" in a ? { role: a.role } : {}),
        why: a.why,
      })),
      failures,
      notes: plan.notes ?? [],
      termEnds: plan.termEnds ?? [],
      reason: plan.reason ?? null,
      errors: plan.errors.map(formatError),
    },
    null,
    2,
  );
}

export const planCommand: CliCommand = {
  name: "plan",
  usage: "security-team plan (--org ORG | --charter FILE) [--org ORG] [--json]",
  summary: "show how the GitHub team would change to match the charter (read-only: cannot write)",
  async run(args, io) {
    const options = parseSyncArgs(args, true);
    const local = options.charter ? await readLocalCharter(options.charter, io, options.org) : undefined;
    if (local && !local.ok) {
      if (options.json) {
        io.out(JSON.stringify({ status: "invalid-charter", errors: local.errors.map(formatError) }, null, 2));
      } else {
        for (const e of local.errors) io.err(formatError(e));
      }
      return 1;
    }
    const org = options.org ?? (local?.ok ? local.charter.org : "");
    const remote = await cliRuntime(org, io.env, true);
    // A local file replaces the default branch's charter; the team is still read from GitHub.
    const rt: Runtime = local ? { ...remote, charter: async () => local } : remote;
    const plan = await planReconcile(rt);
    io.out(options.json ? syncJson(plan, plan.status) : renderSyncSummary(plan, [], true));
    return plan.status === "refused" || plan.status === "invalid-charter" ? 1 : 0;
  },
};

async function readLocalCharter(file: string, io: CliIO, org: string | undefined) {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path`,
    );
  }
  return loadCharter(text, { file, now: now(io.env), ...(org ? { org } : {}) });
}
