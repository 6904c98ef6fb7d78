import { parseArgs } from "node:util";
import type { Runtime } from "../context.js";
import type { RepoRef } from "../core/actions.js";
import { statusOf } from "../core/executor.js";
import { repositoryVisibility } from "../github/repositories.js";
import { annualReport, renderAnnualReport } from "../lifecycle/annual-report.js";
import { readTimelines } from "../lifecycle/timelines.js";
import { checkTrackerPrivate } from "../reports/read.js";
import { trackerRef } from "../reports/tracking-markers.js";
import { cliRuntime } from "./github.js";
import { type CliCommand, type CliIO, UsageError } from "./types.js";

export const reportCommand: CliCommand = {
  name: "report",
  usage: "security-team report --year YEAR [--org ORG] [--json] [--publish [--publish-to OWNER/REPO]]",
  summary:
    "the year's figures from the tracking issues as Markdown (or JSON); --publish opens it as an issue in the private tracker, --publish-to also writes a copy without per-member figures to OWNER/REPO",
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        year: { type: "string" },
        org: { type: "string" },
        json: { type: "boolean", default: false },
        publish: { type: "boolean", default: false },
        "publish-to": { type: "string" },
      },
    });
    const year = Number(values.year);
    if (!values.year || !Number.isInteger(year) || year < 2000 || year > 9999) {
      throw new UsageError(`--year must be a year such as 2026 (got ${values.year ?? "nothing"})`);
    }
    const copyTo = values["publish-to"] === undefined ? undefined : repoArg(values["publish-to"]);
    if (copyTo && !values.publish) throw new UsageError("--publish-to goes with --publish");
    const org = values.org ?? io.env.GITHUB_REPOSITORY_OWNER;
    if (!org) throw new UsageError("--org is required (outside GitHub Actions)");

    // Without --publish the runtime cannot write: the client itself refuses.
    const rt = await cliRuntime(org, io.env, !values.publish, { appOnly: true });
    const read = await rt.charter();
    if (!read.ok) {
      throw new Error(`the charter (${org}/${rt.where.repo}/${rt.where.path}) is missing or invalid`);
    }
    const charter = read.charter;
    // The report goes to the tracker: refuse before reading anything when it is not private.
    if (values.publish) {
      const privacy = await checkTrackerPrivate(rt, charter);
      if (!privacy.ok) {
        io.err(`could not publish the report: ${privacy.problem}`);
        return 1;
      }
    }
    // Outside experts and reporters who commented are not named in the report.
    const members = new Set(charter.members.map((m) => m.login.toLowerCase()));
    const timelines = (await readTimelines(rt, charter)).map((t) => ({
      ...t,
      participation: t.participation.filter((p) => members.has(p.login.toLowerCase())),
    }));
    const report = annualReport(timelines, year);
    rt.disclosure.learnFigures(report.load.map((l) => l.login));
    const markdown = renderAnnualReport(report);
    io.out(values.json ? JSON.stringify(report, null, 2) : markdown);
    if (!values.publish) return 0;

    const title = `Security team: annual report ${year}`;
    const published = await openIssue(rt, io, trackerRef(charter), title, markdown, "the report");
    if (!published) return 1;
    io.err(
      `published in the private tracker ${charter.tracker}${published === true ? "" : `: ${published}`}`,
    );
    if (!copyTo) return 0;

    const copy = renderAnnualReport(report, { perMember: false });
    const visibility = await describeVisibility(rt, copyTo);
    if (visibility.problem) {
      io.err(`could not write the copy: ${visibility.problem}`);
      return 1;
    }
    if (visibility.public) {
      io.err(
        `${copyTo.owner}/${copyTo.repo} is not private: the copy there is public (it carries no per-member figures)`,
      );
    }
    const copied = await openIssue(rt, io, copyTo, title, copy, "the copy");
    if (!copied) return 1;
    io.err(
      `copy without per-member figures in ${copyTo.owner}/${copyTo.repo}${copied === true ? "" : `: ${copied}`}`,
    );
    return 0;
  },
};

function repoArg(value: string): RepoRef {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(value);
  if (!match) throw new UsageError(`--publish-to must be OWNER/REPO (got ${value})`);
  return { owner: match[1] as string, repo: match[2] as string };
}

/** Whether the copy's repository is public (the user is told), read once; the guard learns it too. */
async function describeVisibility(
  rt: Runtime,
  repo: RepoRef,
): Promise<{ public?: boolean; problem?: string }> {
  try {
    const isPrivate = (await repositoryVisibility(rt, repo)) === "private";
    rt.disclosure.learnVisibility(repo, isPrivate);
    return { public: !isPrivate };
  } catch (error) {
    return {
      problem: `cannot read ${repo.owner}/${repo.repo} (HTTP ${statusOf(error) ?? "error"}): is the app installed there?`,
    };
  }
}

/** Opens the issue; its URL (or `true` without one), or undefined after saying why it failed. */
async function openIssue(
  rt: Runtime,
  io: CliIO,
  repo: RepoRef,
  title: string,
  body: string,
  what: string,
): Promise<string | true | undefined> {
  const [result] = await rt.apply([
    { kind: "issue.create", repo, title, body, labels: [], assignees: [], why: title },
  ]);
  if (result?.outcome === "failed") {
    io.err(`could not publish ${what}: ${result.error}`);
    return undefined;
  }
  return (result?.data as { html_url?: string } | undefined)?.html_url ?? true;
}
