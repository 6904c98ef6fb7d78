import { chairs, sameLogin, teamRole } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Action, TeamRole } from "../core/actions.js";
import type { Leaving } from "./leave.js";

/** The GitHub team as it is: active members with their role, and logins with a pending invitation. */
export interface TeamSnapshot {
  members: { login: string; role: TeamRole }[];
  /** Invited (org invitation not yet accepted): counts as present; GitHub does not say the team role. */
  pending: string[];
  /** Members who left the team themselves, with the open charter PR removing them: not added back. */
  leaving?: Leaving[];
  /** The org's invitations that expired or failed (read only when the plan adds someone). */
  failed?: FailedInvitation[];
}

export interface FailedInvitation {
  login: string;
  /** ISO timestamps, as GitHub sends them. */
  createdAt: string;
  failedAt: string;
  reason: string;
}

/** An expired or failed invitation is sent again at most this many times; then the chairs are told. */
export const MAX_RESENDS = 2;

/** A charter member who did not accept `attempts` invitations since `since`: not invited again. */
export interface Unanswered {
  login: string;
  since: string;
  attempts: number;
  lastFailedAt: string;
}

export type TeamAction = Extract<Action, { kind: "team.add" | "team.setRole" | "team.remove" }>;

export interface TeamPlan {
  /** Additions, then promotions, demotions, removals: a run cut short never strands the team. */
  actions: TeamAction[];
  /** Why nothing may be applied (a safety valve held); absent when the plan may be applied. */
  refusal?: string;
  /** Changes the chair valve keeps back for now (not in `actions`): a later sync makes them. */
  held: TeamAction[];
  /** What the plan leaves for later and why, one sentence each (shown with the plan). */
  notes: string[];
  /** Members whose invitations failed more than `MAX_RESENDS` re-sends allow: the chairs are told. */
  unanswered: Unanswered[];
}

/** The `why` of a withdrawn team invitation. */
export const WITHDRAWN = "invited, but not in the charter: the invitation is withdrawn";

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
  const notes: string[] = [];
  const unanswered: Unanswered[] = [];
  for (const member of charter.members) {
    const role = teamRole(member);
    const current = inTeam.get(member.login.toLowerCase());
    if (current) {
      if (current.role !== role) {
        const why = role === "maintainer" ? "a chair in the charter" : "not a chair in the charter";
        roleFixes.push({ kind: "team.setRole", org, team, login: current.login, role, why });
      }
    } else if (!pending.has(member.login.toLowerCase())) {
      const leave = snapshot.leaving?.find((l) => sameLogin(l.login, member.login));
      if (leave) {
        notes.push(
          `@${member.login} left the team themselves: #${leave.pull} removes them from the charter, and they are not added back while it is open.`,
        );
        continue;
      }
      // Invitations sent since they joined the charter that expired or failed: re-sent, at most twice.
      const failed = (snapshot.failed ?? [])
        .filter((f) => sameLogin(f.login, member.login) && f.createdAt.slice(0, 10) >= member.joined)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const last = failed.at(-1);
      if (last && failed.length > MAX_RESENDS) {
        const since = (failed[0] as FailedInvitation).createdAt;
        unanswered.push({ login: member.login, since, attempts: failed.length, lastFailedAt: last.failedAt });
        notes.push(
          `@${member.login} has not accepted ${failed.length} invitations since ${since.slice(0, 10)}: not invited again (the chairs are told on the tracker).`,
        );
        continue;
      }
      const why = last
        ? `re-send the invitation (${last.reason.toLowerCase()}; re-send ${failed.length} of ${MAX_RESENDS})`
        : role === "maintainer"
          ? "a chair in the charter"
          : "in the charter";
      additions.push({ kind: "team.add", org, team, login: member.login, role, why });
    }
  }
  const removals: TeamAction[] = snapshot.members
    .filter((m) => !inCharter.has(m.login.toLowerCase()))
    .map((m) => ({ kind: "team.remove", org, team, login: m.login, why: "not in the charter" }));
  // A stray invitation is withdrawn (the same DELETE cancels a pending membership) and counts as a removal.
  const withdrawals: TeamAction[] = snapshot.pending
    .filter((login) => !inCharter.has(login.toLowerCase()) && !inTeam.has(login.toLowerCase()))
    .map((login) => ({ kind: "team.remove", org, team, login, why: WITHDRAWN }));
  removals.push(...withdrawals);

  const byLogin = (a: TeamAction, b: TeamAction) => a.login.localeCompare(b.login);
  const promotions = roleFixes.filter((a) => a.kind === "team.setRole" && a.role === "maintainer");
  const demotions = roleFixes.filter((a) => !promotions.includes(a));
  const planned = [additions, promotions, demotions, removals].flatMap((group) => group.sort(byLogin));

  const valve = chairValve(charter, snapshot, planned);
  const actions = planned.filter((a) => !valve.held.includes(a));
  const refusal = removalValve(charter, removals);
  return {
    actions,
    ...(refusal ? { refusal } : {}),
    held: valve.held,
    notes: [...notes, ...valve.notes],
    unanswered,
  };
}

function removalValve(charter: Charter, removals: TeamAction[]): string | undefined {
  const max = charter.policy.sync.max_removals;
  if (removals.length <= max) return undefined;
  const withdrawn = removals.filter((r) => r.why === WITHDRAWN).length;
  const including = withdrawn > 0 ? `, ${withdrawn} of them pending invitations` : "";
  return `The plan removes ${removals.length} people (${removals.map((r) => `@${r.login}`).join(", ")}${including}) but \`policy.sync.max_removals\` allows ${max} per sync: remove them in smaller steps or raise the limit in the charter.`;
}

/**
 * Never leave the team without a chair as maintainer. A chair counts only once they maintain the team
 * as an active member (already, or promoted by this plan): a team PUT for someone outside the org only
 * sends an invitation, which may never be accepted. Until then the plan keeps back every removal and
 * demotion of a current maintainer, and applies the rest (the new chair's invitation included); the
 * first sync after a chair accepts makes the held changes. A team that has no chair maintainer yet is
 * not made worse by a plan that takes away nobody who maintains it.
 */
function chairValve(
  charter: Charter,
  snapshot: TeamSnapshot,
  planned: TeamAction[],
): { held: TeamAction[]; notes: string[] } {
  const roles = new Map(snapshot.members.map((m) => [m.login.toLowerCase(), m.role]));
  const maintainedBefore = new Set(
    snapshot.members.filter((m) => m.role === "maintainer").map((m) => m.login.toLowerCase()),
  );
  for (const a of planned) {
    const key = a.login.toLowerCase();
    if (a.kind === "team.remove") roles.delete(key);
    else if (a.kind === "team.setRole") roles.set(key, a.role);
  }
  const chairMaintains = chairs(charter).some((c) => roles.get(c.login.toLowerCase()) === "maintainer");
  if (chairMaintains) return { held: [], notes: [] };
  const held = planned.filter(
    (a) =>
      (a.kind === "team.remove" || (a.kind === "team.setRole" && a.role === "member")) &&
      maintainedBefore.has(a.login.toLowerCase()),
  );
  if (held.length === 0) return { held, notes: [] };
  const waiting = chairs(charter).map((c) => `@${c.login}`);
  const kept = held.map((a) => `@${a.login}`);
  return {
    held,
    notes: [
      `${kept.join(", ")} ${kept.length === 1 ? "stays a maintainer" : "stay maintainers"} for now: no chair (${waiting.join(", ")}) maintains the team as an active member yet (an invitation counts only once accepted). The first sync after a chair accepts makes ${kept.length === 1 ? "this change" : "these changes"}.`,
    ],
  };
}
