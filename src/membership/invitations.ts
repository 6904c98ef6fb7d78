import { chairs, mention } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../context.js";
import type { Action } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { ownIssueMarked } from "../github/issues.js";
import { trackerRef } from "../reports/tracking-markers.js";
import { MAX_RESENDS, type Unanswered } from "./plan.js";

/**
 * Invitations nobody accepts: GitHub's org invitations expire after 7 days. The sync sends an expired
 * or failed one again at most `MAX_RESENDS` times (counted from `GET /orgs/{org}/failed_invitations`,
 * see `planTeamSync`); after that the chairs are told once, by an issue in the private tracker.
 */

export const unansweredKey = (login: string) => `invitation-unanswered:${login.toLowerCase()}`;

export function unansweredIssue(charter: Charter, u: Unanswered): Action {
  const team = `\`${charter.org}/${charter.team}\``;
  return {
    kind: "issue.create",
    repo: trackerRef(charter),
    title: `@${u.login} has not accepted the invitation to ${charter.org}`,
    body: [
      `@${u.login} is in the charter but has not accepted an invitation to the team ${team} since **${u.since.slice(0, 10)}**: ${u.attempts} invitations expired or failed (the first and ${MAX_RESENDS} re-sends). The app does not invite them again.`,
      "Reach them another way. Once they ask for it, an org owner can invite them again by hand (the next sync then sees the pending invitation), or remove them from the charter with a pull request.",
      `cc ${mention(chairs(charter).map((c) => c.login))}`,
      marker(unansweredKey(u.login)),
    ].join("\n\n"),
    labels: [],
    assignees: [],
    why: `@${u.login} did not accept ${u.attempts} invitations`,
  };
}

/**
 * Tells the chairs about each member who ran out of re-sends, once: the issue is written after their
 * last invitation failed, so the app's issues updated since then are enough to find it again.
 */
export async function tellChairs(rt: Runtime, charter: Charter, unanswered: Unanswered[]): Promise<string[]> {
  const lines: string[] = [];
  for (const u of unanswered) {
    if (await ownIssueMarked(rt, trackerRef(charter), unansweredKey(u.login), u.lastFailedAt)) continue;
    const [result] = await rt.apply([unansweredIssue(charter, u)]);
    lines.push(
      result?.outcome === "failed"
        ? `could not tell the chairs that @${u.login} has not accepted (${result.error})`
        : `told the chairs on the tracker that @${u.login} has not accepted`,
    );
  }
  return lines;
}
