import { sameLogin } from "../charter/facts.js";
import type { Action, RepoRef } from "../core/actions.js";

/** The fields of a repository advisory (REST object or webhook `repository_advisory`) the app reads. */
export interface Advisory {
  ghsa_id: string;
  url?: string;
  html_url: string;
  summary: string;
  severity?: string | null;
  state: string;
  created_at?: string | null;
  author?: { login: string } | null;
  credits_detailed?: { user: { login: string }; type: string }[] | null;
  collaborating_users?: { login: string }[] | null;
  collaborating_teams?: { slug: string }[] | null;
}

/** An advisory and the repository it belongs to (the org-wide list names it only in the URL). */
export interface Report {
  advisory: Advisory;
  repo: RepoRef;
}

/** States in which an advisory is still being worked on, privately. */
export const OPEN_STATES = ["triage", "draft"] as const;

export function isOpenState(state: string): boolean {
  return (OPEN_STATES as readonly string[]).includes(state);
}

/** `https://api.github.com/repos/{owner}/{repo}/security-advisories/{ghsa}` → `{owner, repo}`. */
export function repoOfAdvisory(advisory: Advisory): RepoRef {
  const match = /\/repos\/([^/]+)\/([^/]+)\/security-advisories\//.exec(advisory.url ?? "");
  if (!match)
    throw new Error(`advisory ${advisory.ghsa_id}: cannot tell its repository from "${advisory.url}"`);
  return { owner: match[1] as string, repo: match[2] as string };
}

/** Who reported it: the author of a private report and anyone credited as `reporter`. */
export function reportersOf(advisory: Advisory): string[] {
  const logins = [
    ...(advisory.author ? [advisory.author.login] : []),
    ...(advisory.credits_detailed ?? []).filter((c) => c.type === "reporter").map((c) => c.user.login),
  ];
  return logins.filter((l, i) => logins.findIndex((o) => sameLogin(o, l)) === i);
}

/**
 * Adds the team as a collaborating team. GitHub replaces the whole list, so the current teams are
 * written back with it; undefined when the team is already there.
 */
export function addTeam(report: Report, team: string, why: string): Action | undefined {
  const teams = (report.advisory.collaborating_teams ?? []).map((t) => t.slug);
  if (teams.some((t) => sameLogin(t, team))) return undefined;
  return {
    kind: "advisory.setCollaborators",
    repo: report.repo,
    ghsaId: report.advisory.ghsa_id,
    teams: [...teams, team],
    why,
  };
}

/** Adds a user as a collaborator, keeping everyone already there; undefined when present. */
export function addUser(report: Report, login: string, why: string): Action | undefined {
  const users = (report.advisory.collaborating_users ?? []).map((u) => u.login);
  if (users.some((u) => sameLogin(u, login))) return undefined;
  return {
    kind: "advisory.setCollaborators",
    repo: report.repo,
    ghsaId: report.advisory.ghsa_id,
    users: [...users, login],
    why,
  };
}
