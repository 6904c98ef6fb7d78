import { addDays, chairs, mention, parseDay, termEnded } from "../charter/facts.js";
import type { Charter, Member } from "../charter/schema.js";
import { charterRepo } from "../charter/source.js";
import type { Runtime } from "../context.js";
import { ownPulls } from "../github/pulls.js";
import { openRemovalPull } from "./charter-pull.js";

/**
 * Term ends (`until: YYYY-MM-DD`): on that day the sweep opens one charter pull request removing the
 * members whose term ends then, on the branch `security-team/term-end-<date>`. That branch is the
 * pull request's identity: once a pull request came from it (open, merged or closed), no sweep opens
 * another, however many run.
 */

/** The branch of the pull request for the terms ending on `until`. */
export const termEndBranch = (until: string) => `security-team/term-end-${until}`;

/** Members whose term has ended (`until` today or earlier), grouped by that day, oldest first. */
export function termEndsDue(charter: Charter, now: Date): Map<string, Member[]> {
  const due = new Map<string, Member[]>();
  const ended = charter.members.filter((m) => termEnded(m, now));
  for (const m of ended.sort((a, b) => String(a.until).localeCompare(String(b.until)))) {
    const until = m.until as string;
    due.set(until, [...(due.get(until) ?? []), m]);
  }
  return due;
}

/** Term ends in the next `days` days (after today), soonest first: shown with the plan. */
export function upcomingTermEnds(charter: Charter, now: Date, days = 30): { login: string; until: string }[] {
  const horizon = addDays(now, days).getTime();
  return charter.members
    .filter((m) => m.until !== undefined && !termEnded(m, now) && parseDay(m.until).getTime() <= horizon)
    .map((m) => ({ login: m.login, until: m.until as string }))
    .sort((a, b) => a.until.localeCompare(b.until) || a.login.localeCompare(b.login));
}

export function termEndPullBody(charter: Charter, until: string, members: Member[]): string {
  const who = members.map((m) => `- @${m.login}`).join("\n");
  return [
    `The term of these members ended on ${until} (\`until: ${until}\` in the charter):`,
    who,
    "This pull request removes them from the charter. The `charter` check passes it as a term end; merging it removes them from the team. To keep someone, close this pull request and extend their `until` (or remove it) in a pull request of its own.",
    `cc ${mention([...members, ...chairs(charter)].map((m) => m.login))}`,
  ].join("\n\n");
}

/** Opens the pull request for each day on which terms ended, unless one came from its branch before. */
export async function advanceTermEnds(rt: Runtime, charter: Charter): Promise<string[]> {
  const lines: string[] = [];
  for (const [until, members] of termEndsDue(charter, rt.now)) {
    const branch = termEndBranch(until);
    const [existing] = await ownPulls(rt, charterRepo(rt.where), { state: "all", head: branch });
    if (existing) continue;
    const logins = members.map((m) => m.login);
    const opened = await openRemovalPull(rt, {
      branch,
      removed: logins,
      title: `Term ended on ${until}: remove ${logins.map((l) => `@${l}`).join(", ")}`,
      body: termEndPullBody(charter, until, members),
      commitMessage: `Term ended on ${until}`,
      why: `term ended on ${until}`,
    });
    lines.push(
      "problem" in opened
        ? `term end ${until}: ${opened.problem}`
        : `term end ${until}: opened #${opened.number} removing ${logins.map((l) => `@${l}`).join(", ")}`,
    );
  }
  return lines;
}
