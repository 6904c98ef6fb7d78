import { findMember, isFellow } from "../charter/facts.js";
import type { Member } from "../charter/schema.js";
import type { CommandSpec } from "../commands/types.js";
import { isOwn } from "../core/identity.js";
import { marker, markerValue } from "../core/markers.js";
import { cycleOf, day, reaffirmedKey, tick } from "./reaffirmation.js";

/** `/reaffirm` on this year's reaffirmation issue: ticks the member's line, records the day. */
export const reaffirmCommand: CommandSpec = {
  name: "reaffirm",
  usage: "/reaffirm",
  summary: "reaffirm your membership (on the annual reaffirmation issue)",
  who: "member",
  scope: "report",
  async run({ ctx, charter, issue, sender, repo, issueNumber }) {
    const self = await ctx.self();
    const year = isOwn(issue, self) ? Number(markerValue(issue.body, "reaffirmation:")) : Number.NaN;
    if (!Number.isInteger(year)) {
      return { reply: `@${sender}: refused: \`/reaffirm\` works on the app's annual reaffirmation issue.` };
    }
    const cycle = cycleOf(charter, ctx.now);
    if (year !== cycle.year || ctx.now.getTime() >= cycle.deadline.getTime()) {
      return {
        reply: `@${sender}: refused: the reaffirmation ${year} is closed. Ask a chair to record it in the charter with a pull request.`,
      };
    }
    const member = findMember(charter, sender) as Member;
    if (isFellow(member)) return { reply: `@${sender}: fellows do not need to reaffirm.` };
    const on = day(ctx.now);
    const body = tick(issue.body ?? "", member.login, on);
    if (body === undefined) {
      return {
        reply: `@${sender}: you joined after this reaffirmation opened; nothing to do until next year.`,
      };
    }
    if (body === issue.body) return { reply: `@${sender}: your reaffirmation is already recorded.` };
    return {
      reply: `@${sender} reaffirmed on ${on}. Thank you.\n\n${marker(reaffirmedKey(member.login, on))}`,
      actions: [{ kind: "issue.update", repo, number: issueNumber, body, why: `@${sender} reaffirmed` }],
    };
  },
};
