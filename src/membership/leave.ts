import { chairs, findMember, mention, sameLogin } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { type CharterLocation, charterRepo } from "../charter/source.js";
import type { AppContext } from "../context.js";
import type { Action } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { ownPulls } from "../github/pulls.js";
import type { GitHubReader } from "../github/reader.js";
import { openRemovalPull, type RemovalPull } from "./charter-pull.js";
import type { DriftEvent } from "./drift.js";

/**
 * Voluntary leave: a member who removes themselves from the team (a `membership` removed event whose
 * sender is the member) is not added back. The app opens one charter pull request removing them,
 * written as a self-removal (the `charter` check passes it once they approve it), and comments on it
 * mentioning them and the chairs. While it is open the sync leaves them out of the team; merged, the
 * charter agrees; closed without merging, the next sync adds them back (drift applies again).
 *
 * The pull request's branch, `security-team/leave-<login>-<day>`, is its identity: an open one for the
 * login means the leave is being handled (a redelivery, or a second leave, opens nothing).
 */

export const LEAVE_BRANCH = /^security-team\/leave-([A-Za-z0-9-]+)-(\d{4}-\d{2}-\d{2})$/;

export const leaveBranch = (login: string, day: string) =>
  `security-team/leave-${login.toLowerCase()}-${day}`;

export const leaveKey = (login: string) => `leave:${login.toLowerCase()}`;

/** A member with an open leave pull request, from its branch. */
export interface Leaving {
  login: string;
  pull: number;
}

/** The leaves being handled: the app's open pull requests on a leave branch. */
export async function readLeaving(rt: GitHubReader & { where: CharterLocation }): Promise<Leaving[]> {
  const repo = charterRepo(rt.where);
  const pulls = await ownPulls(rt, repo, { state: "open", branch: LEAVE_BRANCH });
  return pulls.map((p) => ({ login: LEAVE_BRANCH.exec(p.head.ref)?.[1] ?? "", pull: p.number }));
}

export function isVoluntaryLeave(charter: Charter, event: DriftEvent): boolean {
  return (
    event.change === "removed" &&
    sameLogin(event.sender, event.login) &&
    findMember(charter, event.login) !== undefined
  );
}

export function leavePull(charter: Charter, login: string, day: string): RemovalPull {
  const team = `\`${charter.org}/${charter.team}\``;
  return {
    branch: leaveBranch(login, day),
    removed: [login],
    title: `@${login} left the security team`,
    commitMessage: `Remove @${login}: left the team themselves`,
    body: [
      `@${login} left the team ${team} themselves on ${day}. This pull request removes them from the charter.`,
      `It is a **self-removal**: the \`charter\` check passes it once @${login} approves it (a member may always remove themselves).`,
      `Until it is merged or closed the app leaves the team as it is. Closed without merging, the next sync adds @${login} back to the team, as the charter still lists them.`,
    ].join("\n\n"),
    why: `@${login} left the team`,
  };
}

export function leaveComment(
  charter: Charter,
  login: string,
  repo: { owner: string; repo: string },
  number: number,
): Action {
  return {
    kind: "issue.comment",
    repo,
    number,
    body: [
      `@${login}: you left the team \`${charter.org}/${charter.team}\`, so the app did not add you back. Please **approve** this pull request to confirm: it then passes the \`charter\` check as your own removal and can be merged. If you left by mistake, close it: the next sync adds you back.`,
      `cc ${mention(chairs(charter).map((c) => c.login))}`,
      marker(leaveKey(login)),
    ].join("\n\n"),
    why: `@${login} left the team`,
  };
}

/**
 * Opens the leave pull request and its comment, unless one is already open for this member. False when
 * no pull request could be opened (the charter without them would not load: the last chair left), so
 * the caller treats the change as drift instead.
 */
export async function handleLeave(ctx: AppContext, charter: Charter, event: DriftEvent): Promise<boolean> {
  const leaving = await readLeaving(ctx);
  if (leaving.some((l) => sameLogin(l.login, event.login))) return true;
  const member = findMember(charter, event.login);
  if (!member) return false;
  const day = ctx.now.toISOString().slice(0, 10);
  const opened = await openRemovalPull(ctx, leavePull(charter, member.login, day));
  if ("problem" in opened) {
    ctx.log.warn(
      { handler: "team-leave", login: member.login, problem: opened.problem },
      "leave: no pull request",
    );
    return false;
  }
  if (!ctx.dryRun) {
    const repo = charterRepo(ctx.where);
    await ctx.apply([leaveComment(charter, member.login, repo, opened.number)]);
  }
  return true;
}
