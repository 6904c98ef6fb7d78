import { chairs, findMember, mention, teamRole } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { type CharterLocation, charterRepo } from "../charter/source.js";
import type { Action } from "../core/actions.js";
import { marker } from "../core/markers.js";

/** A team membership change made by someone other than the app (a `membership` event). */
export interface DriftEvent {
  change: "added" | "removed";
  login: string;
  sender: string;
  deliveryId: string;
}

export function driftMarker(deliveryId: string): string {
  return `drift:${deliveryId}`;
}

export type DriftPlan =
  | { agrees: true }
  /** `revert` is absent under `drift: report` (or when the revert would be a removal and none are allowed). */
  | { agrees: false; revert?: Action };

/**
 * What to do about a change made by hand. Nothing when it agrees with the charter (someone added a
 * charter member ahead of the sync). Otherwise, under `drift: revert`, the change undone; either way an
 * issue (`driftIssue`) once the revert's outcome is known. Pure.
 */
export function planDrift(charter: Charter, event: DriftEvent): DriftPlan {
  const member = findMember(charter, event.login);
  const agrees = event.change === "added" ? member !== undefined : member === undefined;
  if (agrees) return { agrees: true };
  const { org, team } = charter;
  // A revert that removes someone is still a removal: `max_removals: 0` means the app removes nobody.
  const mayRevert =
    charter.policy.sync.drift === "revert" && (member !== undefined || charter.policy.sync.max_removals > 0);
  if (!mayRevert) return { agrees: false };
  const revert: Action = member
    ? {
        kind: "team.add",
        org,
        team,
        login: member.login,
        role: teamRole(member),
        why: "removed by hand but in the charter",
      }
    : { kind: "team.remove", org, team, login: event.login, why: "added by hand, not in the charter" };
  return { agrees: false, revert };
}

export type RevertResult = "reverted" | "revert-failed" | "not-reverted";

/** The issue in the charter repo: who changed what, what the app did, how to change membership. */
export function driftIssue(
  charter: Charter,
  where: CharterLocation,
  event: DriftEvent,
  result: RevertResult,
): Action {
  return {
    kind: "issue.create",
    repo: charterRepo(where),
    title: `Team ${charter.org}/${charter.team} changed by hand: @${event.login} ${event.change}`,
    body: driftIssueBody(charter, where, event, result),
    labels: [],
    assignees: [],
    why: "tell the team how membership changes",
  };
}

function driftIssueBody(charter: Charter, where: CharterLocation, event: DriftEvent, result: RevertResult) {
  const team = `\`${charter.org}/${charter.team}\``;
  const mode = `\`policy.sync.drift: ${charter.policy.sync.drift}\``;
  const what =
    event.change === "added"
      ? `@${event.sender} added @${event.login} to the team ${team} by hand, but @${event.login} is not in the charter.`
      : `@${event.sender} removed @${event.login} from the team ${team} by hand, but @${event.login} is in the charter.`;
  const undo =
    event.change === "added"
      ? `removed @${event.login} from the team again`
      : `added @${event.login} back to the team`;
  const done = {
    reverted: `**Reverted:** the app ${undo} (${mode}).`,
    "revert-failed": `**Revert failed:** the app tried but GitHub refused (see the app's log); the next sync tries again.`,
    "not-reverted": `**Not reverted** (${mode}${charter.policy.sync.drift === "revert" ? ", `max_removals: 0`" : ""}): the team and the charter disagree for now. The next sync (a charter change or the scheduled sweep) makes the team match the charter again, so a change that should stay belongs in the charter.`,
  }[result];
  const file = `https://github.com/${where.org}/${where.repo}/blob/HEAD/${where.path}`;
  return [
    what,
    "",
    done,
    "",
    `**How to change membership:** the charter ([\`${where.path}\`](${file}) in \`${where.org}/${where.repo}\`) is the source of truth for this team. Open a pull request that edits \`members\` there: the \`charter\` check shows the plan and whether the charter's rules are met, and merging it applies the change to the team.`,
    "",
    `cc ${mention(chairs(charter).map((c) => c.login))}`,
    "",
    marker(driftMarker(event.deliveryId)),
  ].join("\n");
}
