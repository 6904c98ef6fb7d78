import type { GitHub } from "../core/executor.js";
import type { FailedInvitation, TeamSnapshot } from "./plan.js";

/**
 * Reads the team as GitHub has it: maintainers, members and pending invitations, 100 per page (the
 * most GitHub allows), so a no-op sync costs exactly these pages plus the charter read.
 */
export async function readTeamSnapshot(octokit: GitHub, org: string, team: string): Promise<TeamSnapshot> {
  const list = (role: "maintainer" | "member") =>
    octokit.paginate(octokit.rest.teams.listMembersInOrg, { org, team_slug: team, role, per_page: 100 });
  const maintainers = await list("maintainer");
  const members = await list("member");
  const invitations = await octokit.paginate(octokit.rest.teams.listPendingInvitationsInOrg, {
    org,
    team_slug: team,
    per_page: 100,
  });
  return {
    members: [
      ...maintainers.map((u) => ({ login: u.login, role: "maintainer" as const })),
      ...members.map((u) => ({ login: u.login, role: "member" as const })),
    ],
    pending: invitations.flatMap((i) => (i.login ? [i.login] : [])),
  };
}

/**
 * The org's invitations that expired or failed (GitHub keeps them with `failed_at` and `failed_reason`).
 * Read only when a sync plans to add someone, so a no-op sync costs nothing more.
 */
export async function readFailedInvitations(octokit: GitHub, org: string): Promise<FailedInvitation[]> {
  const failed = await octokit.paginate(octokit.rest.orgs.listFailedInvitations, { org, per_page: 100 });
  return failed.flatMap((i) =>
    i.login && i.failed_at
      ? [
          {
            login: i.login,
            createdAt: i.created_at,
            failedAt: i.failed_at,
            reason: i.failed_reason ?? "failed",
          },
        ]
      : [],
  );
}
