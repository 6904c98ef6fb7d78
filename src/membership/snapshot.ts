import type { GitHub } from "../core/executor.js";
import type { TeamSnapshot } from "./plan.js";

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
