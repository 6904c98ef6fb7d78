import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { type Action, auditTarget, type CheckOutput, type RepoRef } from "./actions.js";
import { addAdvisoryComment } from "./advisory-comments.js";
import type { DisclosureGuard } from "./disclosure.js";
import { type Identity, isOwnCommit } from "./identity.js";
import { sealedAction } from "./people-text.js";

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface ActionResult {
  action: Action;
  /** `planned` only in dry-run; `failed` carries the HTTP status and GitHub's message. */
  outcome: "applied" | "failed" | "planned";
  status?: number;
  error?: string;
  /** Response data of the (last) request, e.g. the created issue. */
  data?: unknown;
}

export interface Executor {
  readonly dryRun: boolean;
  apply(actions: Action[]): Promise<ActionResult[]>;
}

export interface ExecutorOptions {
  log: Pick<Logger, "info" | "warn" | "error">;
  /** Refuses writes that would carry report data into a repository that is not private (`disclosure.ts`). */
  guard?: DisclosureGuard;
  /**
   * Who the app is, to tell its own commits on a branch it finds already there (`pull.createWithFile`).
   * Without it no commit is the app's: only a branch carrying nothing beyond its base is reused.
   */
  self?: () => Promise<Identity>;
}

/** GitHub caps annotations at 50 per request; the rest go in follow-up updates. */
export const ANNOTATIONS_PER_REQUEST = 50;

/**
 * Writes that create something new are not safe to repeat when the first answer was lost (a 502 may
 * hide a created comment). Those are sent once; markers let the next delivery or sweep converge.
 */
const CREATES = new Set<Action["kind"]>([
  "issue.create",
  "issue.comment",
  "advisory.comment",
  "advisory.requestCve",
  "advisory.createFork",
  "check.create",
  "pull.createWithFile",
]);

/**
 * Guarantee 1 at the one door to writes: a write the guard refuses is never sent, and is logged with
 * its target and the kind of data, never the data. The runtime always passes the guard it feeds;
 * an executor built without one (unit tests of the writes alone) refuses nothing.
 */
function refused(options: ExecutorOptions, action: Action, target: string): ActionResult | undefined {
  const error = options.guard?.refusal(action, target);
  if (!error) return undefined;
  options.log.error(
    { action: action.kind, target, outcome: "refused" },
    `${error} (report data stays in private repositories)`,
  );
  return { action, outcome: "failed", error };
}

/** A dry-run executor has no client at all: it can only describe (and show what the guard would refuse). */
export function createDryRunExecutor(options: ExecutorOptions): Executor {
  return {
    dryRun: true,
    async apply(actions) {
      return actions.map((action) => {
        const target = auditTarget(action);
        const refusal = refused(options, action, target);
        if (refusal) return refusal;
        options.log.info({ action: action.kind, target }, "dry-run");
        return { action, outcome: "planned" as const };
      });
    },
  };
}

/**
 * The only code that writes to GitHub. Actions run one at a time (GitHub asks integrations to send
 * writes serially); a failure is recorded and the next action still runs; every write is logged
 * with its target and outcome, never with bodies. Rate-limit retries happen below, on the client
 * (`ratelimit.ts`), for reads and writes alike.
 */
export function createExecutor(octokit: GitHub, options: ExecutorOptions): Executor {
  const { log } = options;

  async function run(planned: Action): Promise<unknown> {
    // Whatever a call site forgot, people's text cannot reach GitHub as a live marker (people-text.ts).
    const action = sealedAction(planned);
    const request = CREATES.has(action.kind) ? { request: { retries: 0 } } : {};
    switch (action.kind) {
      case "team.add":
      case "team.setRole":
        return octokit.rest.teams.addOrUpdateMembershipForUserInOrg({
          org: action.org,
          team_slug: action.team,
          username: action.login,
          role: action.role,
        });
      case "team.remove":
        return octokit.rest.teams
          .removeMembershipForUserInOrg({ org: action.org, team_slug: action.team, username: action.login })
          .catch((error) => {
            if (statusOf(error) === 404) return undefined; // not (or no longer) in the team: done
            throw error;
          });
      case "label.ensure":
        return octokit.rest.issues
          .createLabel({
            ...action.repo,
            name: action.name,
            color: action.color,
            description: action.description,
          })
          .catch((error) => {
            if (statusOf(error) === 422) return undefined; // already exists
            throw error;
          });
      case "issue.create":
        return octokit.rest.issues.create({
          ...action.repo,
          title: action.title,
          body: action.body,
          labels: action.labels,
          assignees: action.assignees,
          ...request,
        });
      case "issue.comment":
        return octokit.rest.issues.createComment({
          ...action.repo,
          issue_number: action.number,
          body: action.body,
          ...request,
        });
      case "comment.edit":
        return octokit.rest.issues.updateComment({
          ...action.repo,
          comment_id: action.commentId,
          body: action.body,
        });
      case "issue.update":
        return octokit.rest.issues.update({
          ...action.repo,
          issue_number: action.number,
          ...(action.state ? { state: action.state } : {}),
          ...(action.stateReason ? { state_reason: action.stateReason } : {}),
          ...(action.title !== undefined ? { title: action.title } : {}),
          ...(action.body !== undefined ? { body: action.body } : {}),
        });
      case "issue.setAssignees":
        return octokit.rest.issues.update({
          ...action.repo,
          issue_number: action.number,
          assignees: action.assignees,
          ...(action.labels ? { labels: action.labels } : {}),
        });
      case "issue.addLabels":
        return octokit.rest.issues.addLabels({
          ...action.repo,
          issue_number: action.number,
          labels: action.labels,
        });
      case "issue.removeLabel":
        return octokit.rest.issues
          .removeLabel({
            ...action.repo,
            issue_number: action.number,
            name: action.label,
          })
          .catch((error) => {
            if (statusOf(error) === 404) return undefined; // already gone
            throw error;
          });
      case "advisory.setCollaborators":
        return octokit.rest.securityAdvisories.updateRepositoryAdvisory({
          ...action.repo,
          ghsa_id: action.ghsaId,
          ...(action.teams ? { collaborating_teams: action.teams } : {}),
          ...(action.users ? { collaborating_users: action.users } : {}),
        });
      case "advisory.comment":
        return addAdvisoryComment(octokit, action.repo, action.ghsaId, action.body, request.request);
      case "advisory.update":
        return octokit.rest.securityAdvisories.updateRepositoryAdvisory({
          ...action.repo,
          ghsa_id: action.ghsaId,
          ...action.changes,
        });
      case "advisory.requestCve":
        return octokit.rest.securityAdvisories.createRepositoryAdvisoryCveRequest({
          ...action.repo,
          ghsa_id: action.ghsaId,
          ...request,
        });
      case "advisory.createFork":
        return octokit.rest.securityAdvisories.createFork({
          ...action.repo,
          ghsa_id: action.ghsaId,
          ...request,
        });
      case "check.create": {
        const [first, rest] = splitAnnotations(action.output);
        const created = await octokit.rest.checks.create({
          ...action.repo,
          name: action.name,
          head_sha: action.headSha,
          status: "completed",
          conclusion: action.conclusion,
          output: first,
          ...(action.detailsUrl ? { details_url: action.detailsUrl } : {}),
          ...request,
        });
        await appendAnnotations(action.repo, created.data.id, action.output, rest);
        return created;
      }
      case "check.update": {
        const [first, rest] = splitAnnotations(action.output);
        const updated = await octokit.rest.checks.update({
          ...action.repo,
          check_run_id: action.checkRunId,
          status: "completed",
          conclusion: action.conclusion,
          output: first,
        });
        await appendAnnotations(action.repo, action.checkRunId, action.output, rest);
        return updated;
      }
      case "pull.createWithFile":
        return createPullWithFile(action);
    }
  }

  async function appendAnnotations(
    repo: RepoRef,
    checkRunId: number,
    output: CheckOutput,
    batches: CheckOutput["annotations"][],
  ) {
    for (const annotations of batches) {
      await octokit.rest.checks.update({
        ...repo,
        check_run_id: checkRunId,
        output: { title: output.title, summary: output.summary, annotations },
      });
    }
  }

  async function createPullWithFile(action: Extract<Action, { kind: "pull.createWithFile" }>) {
    const repo = action.repo;
    const base = await octokit.rest.git.getRef({ ...repo, ref: `heads/${action.base}` });
    const baseSha = base.data.object.sha;
    const tip = await octokit.rest.git
      .createRef({ ...repo, ref: `refs/heads/${action.branch}`, sha: baseSha })
      .then(
        () => baseSha,
        (error) => {
          if (statusOf(error) !== 422) throw error;
          return reusableTip(action, baseSha); // "Reference already exists"
        },
      );
    const existing = await octokit.rest.repos
      .getContent({ ...repo, path: action.path, ref: tip })
      .catch((error) => (statusOf(error) === 404 ? undefined : Promise.reject(error)));
    const sha =
      existing && !Array.isArray(existing.data) && "sha" in existing.data ? existing.data.sha : undefined;
    await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: action.path,
      branch: action.branch,
      message: action.commitMessage,
      content: Buffer.from(action.content, "utf8").toString("base64"),
      ...(sha ? { sha } : {}),
    });
    return octokit.rest.pulls.create({
      ...repo,
      head: action.branch,
      base: action.base,
      title: action.title,
      body: action.body,
      request: { retries: 0 },
    });
  }

  /**
   * The tip of a branch that already exists, when it is the app's own work from an interrupted run:
   * nothing beyond the base, or only commits the app made. Anyone who can push may create a branch of
   * that name first, and the app must not put its name on a pull request carrying their commits, so
   * any other branch refuses the action before anything is written. Read by its sha (`heads/…`), so a
   * tag of the same name cannot stand in for it.
   */
  async function reusableTip(
    action: Extract<Action, { kind: "pull.createWithFile" }>,
    baseSha: string,
  ): Promise<string> {
    const { data: ref } = await octokit.rest.git.getRef({ ...action.repo, ref: `heads/${action.branch}` });
    const tip = ref.object.sha;
    if (tip === baseSha) return tip;
    const { data: beyond } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...action.repo,
      basehead: `${baseSha}...${tip}`,
    });
    const self = await options.self?.();
    const own =
      self !== undefined &&
      beyond.commits.length === beyond.ahead_by &&
      beyond.commits.every((commit) => isOwnCommit(commit, self));
    if (beyond.ahead_by === 0 || own) return tip;
    throw new Error(
      `a branch ${action.branch} already exists that the app did not create: delete or rename it`,
    );
  }

  return {
    dryRun: false,
    async apply(actions) {
      const results: ActionResult[] = [];
      for (const action of actions) {
        const target = auditTarget(action);
        const refusal = refused(options, action, target);
        if (refusal) {
          results.push(refusal);
          continue;
        }
        try {
          const response = (await run(action)) as { data?: unknown } | undefined;
          log.info({ action: action.kind, target, outcome: "applied" }, "github write");
          results.push({ action, outcome: "applied", data: response?.data });
        } catch (error) {
          const status = statusOf(error);
          const message = messageOf(error);
          const permissions = acceptedPermissions(error);
          log.error(
            {
              action: action.kind,
              target,
              outcome: "failed",
              status,
              error: message,
              ...(permissions ? { permissions } : {}),
            },
            "github write failed",
          );
          results.push({ action, outcome: "failed", error: message, ...(status ? { status } : {}) });
        }
      }
      return results;
    },
  };
}

function splitAnnotations(output: CheckOutput): [CheckOutput, CheckOutput["annotations"][]] {
  const all = output.annotations ?? [];
  const batches: CheckOutput["annotations"][] = [];
  for (let i = ANNOTATIONS_PER_REQUEST; i < all.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(all.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  return [{ ...output, annotations: all.slice(0, ANNOTATIONS_PER_REQUEST) }, batches];
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;
}

/** GitHub's message without the request (which could carry a body) attached. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? "error";
  return String(error);
}

/**
 * On a 403, the permission(s) GitHub says the request needed (`members=write`; alternatives are
 * separated by `;`), from the `X-Accepted-GitHub-Permissions` response header.
 */
export function acceptedPermissions(error: unknown): string | undefined {
  if (statusOf(error) !== 403) return undefined;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response
    ?.headers;
  return headers?.["x-accepted-github-permissions"] || undefined;
}
