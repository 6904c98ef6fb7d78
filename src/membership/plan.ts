import { chairs, sameLogin, type TeamRole, teamRole } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Action } from "../core/actions.js";

/** The GitHub team as it is: active members with their role, and logins with a pending invitation. */
export interface TeamSnapshot {
  members: { login: string; role: TeamRole }[];
  /** Invited (org invitation not yet accepted): counts as present; GitHub does not say the team role. */
  pending: string[];
}

export type TeamAction = Extract<Action, { kind: "team.add" | "team.setRole" | "team.remove" }>;

export interface TeamPlan {
  /** Additions, then promotions, demotions, removals: a run cut short never strands the team. */
  actions: TeamAction[];
  /** Why nothing may be applied (a safety valve held); absent when the plan may be applied. */
  refusal?: string;
}

/**
 * The difference between the charter and the team, and whether the safety valves let it through.
 * Pure. Logins compare case-insensitively; changes to existing entries use GitHub's spelling.
 */
export function planTeamSync(charter: Charter, snapshot: TeamSnapshot): TeamPlan {
  const { org, team } = charter;
  const inTeam = new Map(snapshot.members.map((m) => [m.login.toLowerCase(), m]));
  const pending = new Set(snapshot.pending.map((p) => p.toLowerCase()));
  const inCharter = new Set(charter.members.map((m) => m.login.toLowerCase()));

  const additions: TeamAction[] = [];
  const roleFixes: TeamAction[] = [];
  for (const member of charter.members) {
    const role = teamRole(member);
    const current = inTeam.get(member.login.toLowerCase());
    if (current) {
      if (current.role !== role) {
        const why = role === "maintainer" ? "a chair in the charter" : "not a chair in the charter";
        roleFixes.push({ kind: "team.setRole", org, team, login: current.login, role, why });
      }
    } else if (!pending.has(member.login.toLowerCase())) {
      const why = role === "maintainer" ? "a chair in the charter" : "in the charter";
      additions.push({ kind: "team.add", org, team, login: member.login, role, why });
    }
  }
  const removals: TeamAction[] = snapshot.members
    .filter((m) => !inCharter.has(m.login.toLowerCase()))
    .map((m) => ({ kind: "team.remove", org, team, login: m.login, why: "not in the charter" }));

  const byLogin = (a: TeamAction, b: TeamAction) => a.login.localeCompare(b.login);
  const promotions = roleFixes.filter((a) => a.kind === "team.setRole" && a.role === "maintainer");
  const demotions = roleFixes.filter((a) => !promotions.includes(a));
  const actions = [additions, promotions, demotions, removals].flatMap((group) => group.sort(byLogin));

  const reasons = [
    removalValve(charter, removals),
    chairValve(charter, snapshot, actions, [...demotions, ...removals]),
  ].filter((r): r is string => r !== undefined);
  return reasons.length > 0 ? { actions, refusal: reasons.join(" ") } : { actions };
}

function removalValve(charter: Charter, removals: TeamAction[]): string | undefined {
  const max = charter.policy.sync.max_removals;
  if (removals.length <= max) return undefined;
  return `The plan removes ${removals.length} people (${removals.map((r) => `@${r.login}`).join(", ")}) but \`policy.sync.max_removals\` allows ${max} per sync: remove them in smaller steps or raise the limit in the charter.`;
}

/**
 * Never leave the team without a chair as maintainer. The planner makes every chair a maintainer, so
 * this holds only when the chairs are still invited (not yet members) and the plan takes away the
 * maintainers the team has now; a team that has no chair maintainer yet is not made worse by a plan
 * that removes nobody who maintains it.
 */
function chairValve(
  charter: Charter,
  snapshot: TeamSnapshot,
  actions: TeamAction[],
  lowering: TeamAction[],
): string | undefined {
  const roles = new Map(snapshot.members.map((m) => [m.login.toLowerCase(), m.role as TeamRole | undefined]));
  for (const a of actions) {
    const key = a.login.toLowerCase();
    if (a.kind === "team.remove") roles.delete(key);
    else roles.set(key, a.role);
  }
  const chairMaintains = chairs(charter).some((c) => roles.get(c.login.toLowerCase()) === "maintainer");
  const takesMaintainers = lowering.some(
    (a) => snapshot.members.find((m) => sameLogin(m.login, a.login))?.role === "maintainer",
  );
  if (chairMaintains || !takesMaintainers) return undefined;
  const invited = chairs(charter).map((c) => `@${c.login}`);
  return `After this plan no chair would maintain the team: the chairs (${invited.join(", ")}) have not accepted their invitations yet. Nothing is removed or demoted until a chair is a maintainer.`;
}
