import { chairs, findMember, mention, teamRole } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { CharterLocation } from "../charter/source.js";
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

/**
 * What to do about a change made by hand. Nothing when it agrees with the charter (someone added a
 * charter member ahead of the sync). Otherwise an issue in the charter repo and, under `drift: revert`,
 * the change undone. Pure.
 */
export function planDrift(charter: Charter, where: CharterLocation, event: DriftEvent): Action[] {
  const member = findMember(charter, event.login);
  const agrees = event.change === "added" ? member !== undefined : member === undefined;
  if (agrees) return [];
  const { org, team } = charter;
  const mode = charter.policy.sync.drift;
  // A revert that removes someone is still a removal: `max_removals: 0` means the app removes nobody.
  const mayRevert = mode === "revert" && (event.change === "removed" || charter.policy.sync.max_removals > 0);
  const revert: Action[] = !mayRevert
    ? []
    : member
      ? [
          {
            kind: "team.add",
            org,
            team,
            login: member.login,
            role: teamRole(member),
            why: "removed by hand but in the charter",
          },
        ]
      : [{ kind: "team.remove", org, team, login: event.login, why: "added by hand, not in the charter" }];
  const issue: Action = {
    kind: "issue.create",
    repo: { owner: where.org, repo: where.repo },
    title: `Team ${org}/${team} changed by hand: @${event.login} ${event.change}`,
    body: driftIssueBody(charter, where, event, revert.length > 0),
    labels: [],
    assignees: [],
    why: "tell the team how membership changes",
  };
  return [...revert, issue];
}

function driftIssueBody(charter: Charter, where: CharterLocation, event: DriftEvent, reverted: boolean) {
  const team = `\`${charter.org}/${charter.team}\``;
  const what =
    event.change === "added"
      ? `@${event.sender} added @${event.login} to the team ${team} by hand, but @${event.login} is not in the charter.`
      : `@${event.sender} removed @${event.login} from the team ${team} by hand, but @${event.login} is in the charter.`;
  const done = reverted
    ? event.change === "added"
      ? `**Reverted:** the app removed @${event.login} from the team again (\`policy.sync.drift: revert\`).`
      : `**Reverted:** the app added @${event.login} back to the team (\`policy.sync.drift: revert\`).`
    : `**Not reverted yet** (\`policy.sync.drift: ${charter.policy.sync.drift}\`${
        charter.policy.sync.drift === "revert" ? ", `max_removals: 0`" : ""
      }): the team and the charter disagree until the charter changes; the next sync makes the team match the charter again.`;
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
