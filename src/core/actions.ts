/**
 * Every change the app can make to GitHub, as data. Planners return these; only the executor
 * (`executor.ts`) turns them into requests. `why` is a short, secret-free reason shown in plans and
 * the audit log: never put report contents in it.
 */

/** A team member's role on GitHub (chairs are the team's maintainers). */
export type TeamRole = "maintainer" | "member";

export interface RepoRef {
  owner: string;
  repo: string;
}

interface Base {
  why: string;
}

export type CheckConclusion = "success" | "failure" | "neutral" | "action_required";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

/** The kinds of credit GitHub records on an advisory. */
export const CREDIT_TYPES = [
  "finder",
  "reporter",
  "analyst",
  "coordinator",
  "remediation_developer",
  "remediation_reviewer",
  "remediation_verifier",
  "tool",
  "sponsor",
  "other",
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

/** Fields of a repository advisory the control-room commands change (PATCH body, GitHub's names). */
export interface AdvisoryChanges {
  state?: "draft" | "closed" | "published";
  severity?: "low" | "medium" | "high" | "critical";
  cvss_vector_string?: string;
  cwe_ids?: string[];
  credits?: { login: string; type: CreditType }[];
}

export type Action = Base &
  (
    | { kind: "team.add"; org: string; team: string; login: string; role: TeamRole }
    | { kind: "team.setRole"; org: string; team: string; login: string; role: TeamRole }
    | { kind: "team.remove"; org: string; team: string; login: string }
    | { kind: "label.ensure"; repo: RepoRef; name: string; color: string; description: string }
    | {
        kind: "issue.create";
        repo: RepoRef;
        title: string;
        body: string;
        labels: string[];
        assignees: string[];
      }
    | { kind: "issue.comment"; repo: RepoRef; number: number; body: string }
    | { kind: "comment.edit"; repo: RepoRef; commentId: number; body: string }
    | {
        kind: "issue.update";
        repo: RepoRef;
        number: number;
        state?: "open" | "closed";
        stateReason?: "completed" | "not_planned" | "duplicate" | "reopened";
        title?: string;
        body?: string;
      }
    | {
        kind: "issue.setAssignees";
        repo: RepoRef;
        number: number;
        assignees: string[];
        previous: string[];
        /** Also replaces the issue's labels (the complete list) in the same request. Omitted = unchanged. */
        labels?: string[];
      }
    | { kind: "issue.addLabels"; repo: RepoRef; number: number; labels: string[] }
    | { kind: "issue.removeLabel"; repo: RepoRef; number: number; label: string }
    | {
        kind: "advisory.setCollaborators";
        repo: RepoRef;
        ghsaId: string;
        /** The complete lists to write: GitHub replaces these arrays whole. Omitted = unchanged. */
        teams?: string[];
        users?: string[];
      }
    | {
        kind: "advisory.comment";
        repo: RepoRef;
        ghsaId: string;
        /** Seen by the reporter: only approved drafts (see src/signoff/). Never logged. */
        body: string;
      }
    | {
        kind: "advisory.update";
        repo: RepoRef;
        ghsaId: string;
        /** Only the fields to change. Lists are complete (GitHub replaces them whole): the planner merged them. */
        changes: AdvisoryChanges;
      }
    | { kind: "advisory.requestCve"; repo: RepoRef; ghsaId: string }
    | { kind: "advisory.createFork"; repo: RepoRef; ghsaId: string }
    | {
        kind: "check.create";
        repo: RepoRef;
        name: string;
        headSha: string;
        conclusion: CheckConclusion;
        output: CheckOutput;
        detailsUrl?: string;
      }
    | {
        kind: "check.update";
        repo: RepoRef;
        checkRunId: number;
        conclusion: CheckConclusion;
        output: CheckOutput;
      }
    | {
        kind: "pull.createWithFile";
        repo: RepoRef;
        base: string;
        branch: string;
        path: string;
        content: string;
        commitMessage: string;
        title: string;
        body: string;
      }
  );

type IssueUpdate = Extract<Action, { kind: "issue.update" }>;
const ISSUE_FIELDS = ["state", "stateReason", "title", "body"] as const;

/**
 * The actions with each `issue.update` folded into the earlier update of the same issue (GitHub takes
 * state, reason, title and body in one PATCH), so a planner made of parts (the body's status section,
 * the state mirror) sends one request per issue. Updates that set a field to different values stay apart.
 */
export function oneUpdatePerIssue(actions: Action[]): Action[] {
  const planned: Action[] = [];
  const updateAt = new Map<string, number>();
  for (const action of actions) {
    if (action.kind !== "issue.update") {
      planned.push(action);
      continue;
    }
    const key = `${repoName(action.repo)}#${action.number}`;
    const at = updateAt.get(key);
    const earlier = at === undefined ? undefined : planned[at];
    if (
      at === undefined ||
      earlier?.kind !== "issue.update" ||
      ISSUE_FIELDS.some((f) => clashes(earlier[f], action[f]))
    ) {
      updateAt.set(key, planned.length);
      planned.push(action);
      continue;
    }
    const merged: IssueUpdate = { ...earlier, why: `${earlier.why}; ${action.why}` };
    for (const f of ISSUE_FIELDS) if (action[f] !== undefined) Object.assign(merged, { [f]: action[f] });
    planned[at] = merged;
  }
  return planned;
}

function clashes<T>(a: T | undefined, b: T | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

function repoName(r: RepoRef): string {
  return `${r.owner}/${r.repo}`;
}

/** One line per action, for plans, dry-runs and the audit log. Contains no report contents. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case "team.add":
      return `add @${a.login} to team ${a.org}/${a.team} as ${a.role}`;
    case "team.setRole":
      return `set @${a.login}'s role in team ${a.org}/${a.team} to ${a.role}`;
    case "team.remove":
      return `remove @${a.login} from team ${a.org}/${a.team}`;
    case "label.ensure":
      return `create label "${a.name}" in ${repoName(a.repo)}`;
    case "issue.create":
      return `open an issue in ${repoName(a.repo)}`;
    case "issue.comment":
      return `comment on ${repoName(a.repo)}#${a.number}`;
    case "comment.edit":
      return `edit comment ${a.commentId} in ${repoName(a.repo)}`;
    case "issue.update": {
      const state =
        a.state === "closed"
          ? `close (${a.stateReason ?? "completed"})`
          : a.state === "open"
            ? "reopen"
            : undefined;
      const edit = a.title !== undefined || a.body !== undefined ? "edit" : undefined;
      const what = [state, edit].filter(Boolean).join(" and ") || "edit";
      return `${what} ${repoName(a.repo)}#${a.number}`;
    }
    case "issue.setAssignees":
      return `assign ${repoName(a.repo)}#${a.number} to ${a.assignees.map((l) => `@${l}`).join(", ") || "nobody"}${
        a.labels ? ` and set its labels to [${a.labels.join(", ")}]` : ""
      }`;
    case "issue.addLabels":
      return `label ${repoName(a.repo)}#${a.number} ${a.labels.map((l) => `"${l}"`).join(", ")}`;
    case "issue.removeLabel":
      return `remove label "${a.label}" from ${repoName(a.repo)}#${a.number}`;
    case "advisory.setCollaborators": {
      const parts = [
        a.teams ? `teams [${a.teams.join(", ")}]` : undefined,
        a.users ? `users [${a.users.map((u) => `@${u}`).join(", ")}]` : undefined,
      ].filter(Boolean);
      return `set collaborators of ${a.ghsaId} in ${repoName(a.repo)}: ${parts.join(", ")}`;
    }
    case "advisory.comment":
      return `comment on advisory ${a.ghsaId} in ${repoName(a.repo)}`;
    case "advisory.update":
      return `update advisory ${a.ghsaId} in ${repoName(a.repo)}: ${describeChanges(a.changes)}`;
    case "advisory.requestCve":
      return `request a CVE for advisory ${a.ghsaId} in ${repoName(a.repo)}`;
    case "advisory.createFork":
      return `create the private fork of advisory ${a.ghsaId} in ${repoName(a.repo)}`;
    case "check.create":
      return `report check "${a.name}" = ${a.conclusion} on ${repoName(a.repo)}@${a.headSha.slice(0, 7)}`;
    case "check.update":
      return `update check run ${a.checkRunId} = ${a.conclusion} in ${repoName(a.repo)}`;
    case "pull.createWithFile":
      return `open a pull request in ${repoName(a.repo)} changing ${a.path} (branch ${a.branch})`;
  }
}

/**
 * The audit log's description of an action: as `describeAction`, except that no advisory is named (a
 * log can end up where anyone reads it, such as a public repository's Actions run).
 */
export function auditTarget(a: Action): string {
  switch (a.kind) {
    case "advisory.setCollaborators":
      return `set the collaborators of an advisory in ${repoName(a.repo)}`;
    case "advisory.comment":
      return `comment on an advisory in ${repoName(a.repo)}`;
    case "advisory.update":
      return `update an advisory in ${repoName(a.repo)}`;
    case "advisory.requestCve":
      return `request a CVE for an advisory in ${repoName(a.repo)}`;
    case "advisory.createFork":
      return `create the private fork of an advisory in ${repoName(a.repo)}`;
    default:
      return describeAction(a);
  }
}

function describeChanges(c: AdvisoryChanges): string {
  return [
    c.state ? `state → ${c.state}` : undefined,
    c.severity ? `severity → ${c.severity}` : undefined,
    c.cvss_vector_string ? `CVSS → ${c.cvss_vector_string}` : undefined,
    c.cwe_ids ? `CWEs → [${c.cwe_ids.join(", ")}]` : undefined,
    c.credits ? `credits → [${c.credits.map((x) => `@${x.login} (${x.type})`).join(", ")}]` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
}
