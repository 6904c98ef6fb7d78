import { parseArgs } from "node:util";
import { createRuntime } from "../context.js";
import { ConfigError } from "../core/config.js";
import { identityResolver } from "../core/identity.js";
import { cliLogger } from "../core/logger.js";
import { type Check, diagnose } from "../doctor/checks.js";
import { readDoctorFacts } from "../doctor/read.js";
import { appCredentials, appInstallation } from "./github.js";
import { type CliCommand, UsageError } from "./types.js";

export const doctorCommand: CliCommand = {
  name: "doctor",
  usage: "security-team doctor [--org ORG] [--json]",
  summary:
    "check a live installation step by step (permissions, events, charter, team, tracker, private reporting, the required check, webhook deliveries), each with its fix; read-only",
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { org: { type: "string" }, json: { type: "boolean", default: false } },
    });
    const org = values.org ?? io.env.GITHUB_REPOSITORY_OWNER;
    if (!org) throw new UsageError("--org is required (or set GITHUB_REPOSITORY_OWNER)");
    const app = appCredentials(io.env);
    if (!app) {
      throw new ConfigError(
        "needs the app's credentials: set APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (in .env or the environment); only the app can read its permissions and webhook deliveries",
      );
    }
    const log = cliLogger(io.env);
    const { probot, installation } = await appInstallation(org, io.env, app, log);
    const rt = createRuntime({
      octokit: await probot.auth(installation.id),
      log,
      org,
      env: io.env,
      self: identityResolver(() => probot.auth()),
      dryRun: true, // the client cannot write
    });
    const facts = await readDoctorFacts({ app: await probot.auth(), installation, rt, appId: app.appId });
    const checks = diagnose(facts);
    const failed = checks.filter((c) => c.status === "failed").length;
    io.out(
      values.json ? JSON.stringify({ org, ok: failed === 0, checks }, null, 2) : renderDoctor(org, checks),
    );
    return failed === 0 ? 0 : 1;
  },
};

const MARKS = { passed: "✓", failed: "✗", warning: "!" } as const;

/** One line per check, its fix indented under it, and the count. */
export function renderDoctor(org: string, checks: Check[]): string {
  const failed = checks.filter((c) => c.status === "failed").length;
  const warnings = checks.filter((c) => c.status === "warning").length;
  return [
    `Installation of the app on ${org}:`,
    ...checks.flatMap((c) => [
      `${MARKS[c.status]} ${c.name}: ${c.detail}`,
      ...(c.fix ? [`    fix: ${c.fix}`] : []),
    ]),
    "",
    failed === 0
      ? `All ${checks.length} checks passed${warnings ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}.`
      : `${failed} of ${checks.length} checks failed.`,
  ].join("\n");
}
