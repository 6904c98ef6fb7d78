import { parseArgs } from "node:util";
import { annualReport, renderAnnualReport } from "../lifecycle/annual-report.js";
import { readTimelines } from "../lifecycle/timelines.js";
import { cliRuntime } from "./github.js";
import { type CliCommand, UsageError } from "./types.js";

export const reportCommand: CliCommand = {
  name: "report",
  usage: "security-team report --year YEAR [--org ORG] [--json] [--publish]",
  summary:
    "the year's figures from the tracking issues as Markdown (or JSON); --publish opens it as an issue in the charter repo",
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        year: { type: "string" },
        org: { type: "string" },
        json: { type: "boolean", default: false },
        publish: { type: "boolean", default: false },
      },
    });
    const year = Number(values.year);
    if (!values.year || !Number.isInteger(year) || year < 2000 || year > 9999) {
      throw new UsageError(`--year must be a year such as 2026 (got ${values.year ?? "nothing"})`);
    }
    const org = values.org ?? io.env.GITHUB_REPOSITORY_OWNER;
    if (!org) throw new UsageError("--org is required (outside GitHub Actions)");

    // Without --publish the runtime cannot write: the client itself refuses.
    const rt = await cliRuntime(org, io.env, !values.publish);
    // Tracking issues are trusted only as the app's own writing; a personal token cannot tell which those are.
    if ((await rt.self()).appId === undefined) {
      throw new Error(
        "needs the app's credentials (APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH), not GITHUB_TOKEN",
      );
    }
    const read = await rt.charter();
    if (!read.ok) {
      throw new Error(`the charter (${org}/${rt.where.repo}/${rt.where.path}) is missing or invalid`);
    }
    // Outside experts and reporters who commented are not named in a report that may be published.
    const members = new Set(read.charter.members.map((m) => m.login.toLowerCase()));
    const timelines = (await readTimelines(rt, read.charter)).map((t) => ({
      ...t,
      participation: t.participation.filter((p) => members.has(p.login.toLowerCase())),
    }));
    const report = annualReport(timelines, year);
    const markdown = renderAnnualReport(report);
    io.out(values.json ? JSON.stringify(report, null, 2) : markdown);
    if (!values.publish) return 0;
    const [result] = await rt.apply([
      {
        kind: "issue.create",
        repo: { owner: rt.where.org, repo: rt.where.repo },
        title: `Security team: annual report ${year}`,
        body: markdown,
        labels: [],
        assignees: [],
        why: `annual report ${year}`,
      },
    ]);
    if (result?.outcome === "failed") {
      io.err(`could not publish the report: ${result.error}`);
      return 1;
    }
    const url = (result?.data as { html_url?: string } | undefined)?.html_url;
    io.err(`published${url ? `: ${url}` : ""}`);
    return 0;
  },
};
