import type nock from "nock";
import { exampleResponse } from "../helpers/openapi.js";

/** Mock replies for the team reads, in GitHub's documented shapes. */

export const TEAM_PATH = "/orgs/django/teams/django-security-team";

export function users(logins: string[]): Record<string, unknown>[] {
  const [base] = exampleResponse("teams/list-members-in-org") as Record<string, unknown>[];
  return logins.map((login, i) => ({ ...base, login, id: 1000 + i }));
}

export function invitations(logins: string[]): Record<string, unknown>[] {
  const [base] = exampleResponse("teams/list-pending-invitations-in-org") as Record<string, unknown>[];
  return logins.map((login, i) => ({ ...base, login, id: 2000 + i }));
}

export interface TeamState {
  maintainers: string[];
  members: string[];
  pending?: string[];
}

/** The example charter's team, exactly as the charter wants it. */
export const IN_SYNC: TeamState = {
  maintainers: ["sarahboyce", "jacobtylerwalls"],
  members: ["shaib", "felixxm", "charettes", "nessita", "newperson"],
};

/** Answers the snapshot reads: maintainers, members, pending invitations (one page each). */
export function replyTeam(scope: nock.Scope, state: TeamState): nock.Scope {
  return scope
    .get(`${TEAM_PATH}/members`)
    .query({ role: "maintainer", per_page: "100" })
    .reply(200, users(state.maintainers))
    .get(`${TEAM_PATH}/members`)
    .query({ role: "member", per_page: "100" })
    .reply(200, users(state.members))
    .get(`${TEAM_PATH}/invitations`)
    .query({ per_page: "100" })
    .reply(200, invitations(state.pending ?? []));
}

export const membership = (role: "member" | "maintainer") => ({
  ...(exampleResponse("teams/add-or-update-membership-for-user-in-org") as Record<string, unknown>),
  role,
});

/**
 * Answers the reads a sync makes only when it plans to add someone: the org's failed invitations and
 * the open leave pull requests (and, with a personal token, who the token belongs to, to tell the
 * app's pull requests apart).
 */
export function replyAdditionReads(scope: nock.Scope, options: { tokenUser?: boolean } = {}): nock.Scope {
  if (options.tokenUser) scope.get("/user").reply(200, exampleResponse("users/get-authenticated") as object);
  return scope
    .get("/orgs/django/failed_invitations")
    .query({ per_page: "100" })
    .reply(200, [])
    .get("/repos/django/.github/pulls")
    .query({ state: "open", per_page: "100" })
    .reply(200, []);
}
