import { chairs, findMember, isOnboarding, mention } from "../charter/facts.js";
import { type AppContext, handler } from "../context.js";
import type { RepoRef } from "../core/actions.js";
import { isSelf } from "../core/identity.js";
import { marker } from "../core/markers.js";
import { ownMarkers } from "../github/comments.js";
import { issueNow } from "../github/issues.js";
import type { IssueData } from "../reports/read.js";
import { parseCommand } from "./parse.js";
import { findCommand, helpText } from "./table.js";
import type { CommandAnswer, CommandOutcome, CommandScope } from "./types.js";

/** The marker on the app's answer to comment `id`: its presence means the command was handled. */
export const replyMarker = (commentId: number) => marker(`reply:${commentId}`);

/**
 * Runs slash commands in tracking issues (tracker repo) and in the charter repo. Who may run what is
 * decided here, once, from the charter; every command gets exactly one reply, and a redelivered
 * comment whose reply already exists is ignored, so repeats change nothing.
 */
export const commandHandler = handler({
  name: "commands",
  events: ["issue_comment.created"],
  async run(ctx) {
    const { comment, issue, repository, sender } = ctx.payload;
    const parsed = parseCommand(comment.body);
    if (!parsed) return;
    const self = await ctx.self();
    if (isSelf(sender, self)) return;

    const read = await ctx.charter();
    const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
    const scope = scopeOf(ctx, repo, read.ok ? read.charter.tracker : undefined);
    if (!scope) {
      if (!read.ok) ctx.log.warn({ repo: repo.repo }, "the charter is missing or invalid: command ignored");
      return;
    }
    // Where anyone can read and comment, the app answers only members, and only commands it has
    // there: a stranger's comment gets no reply at all (nothing to harvest, nothing to spam with).
    if (!isPrivate(repository)) {
      const member = read.ok ? findMember(read.charter, sender.login) : undefined;
      if (!member || sender.type === "Bot" || !findCommand(parsed.name, scope)) {
        if (!read.ok) ctx.log.warn({ repo: repo.repo }, "the charter is missing or invalid: command ignored");
        return;
      }
    }
    if (await alreadyAnswered(ctx, repo, issue.number, comment.id, comment.created_at)) return;

    const outcome = await decide();
    if (!outcome) return;
    const reply = await carryOut(outcome);
    if (reply === undefined) return;
    await ctx.apply([
      {
        kind: "issue.comment",
        repo,
        number: issue.number,
        body: `${reply}\n\n${replyMarker(comment.id)}`,
        why: `answer /${parsed.name} by @${sender.login}`,
      },
    ]);

    /** Applies what the command decided; the reply to post, or undefined when there must be none. */
    async function carryOut(outcome: CommandOutcome): Promise<string | undefined> {
      let answer: CommandAnswer = outcome as CommandAnswer;
      if ("attempt" in outcome) {
        // Unless `answered`, a refusal still fails the delivery; either way the reply says what GitHub refused.
        const results = outcome.answered
          ? await ctx.applyAnswered(outcome.attempt)
          : await ctx.apply(outcome.attempt);
        const refused = results.find((r) => r.outcome === "failed");
        if (refused) return outcome.failed(refused);
        answer = await outcome.succeeded(results);
      }
      const applied = await ctx.apply(answer.actions ?? []);
      // A failed action fails the delivery without a reply: the redelivery runs the command again.
      if (applied.some((r) => r.outcome === "failed")) return undefined;
      return answer.reply;
    }

    async function decide(): Promise<CommandOutcome | undefined> {
      if (!read.ok) {
        return {
          reply: `Commands are paused: the charter (${ctx.where.repo}/${ctx.where.path}) is missing or invalid.`,
        };
      }
      const charter = read.charter;
      const member = findMember(charter, sender.login);
      if (!member || sender.type === "Bot") {
        return {
          reply: `@${sender.login}: refused. Only members of the security team listed in the charter can run \`/${parsed?.name}\`.`,
        };
      }
      if (parsed?.name === "help") return { reply: helpText(scope as CommandScope) };
      const command = findCommand(parsed?.name ?? "", scope as CommandScope);
      if (!command) {
        return {
          reply: `@${sender.login}: unknown command \`/${parsed?.name}\`. Commands here:\n\n${helpText(scope as CommandScope)}`,
        };
      }
      if (command.who === "full-member" && isOnboarding(charter, member, ctx.now)) {
        return {
          reply: `@${sender.login}: refused. \`/${command.name}\` needs a full member; you are still onboarding. ${mention(
            chairs(charter).map((m) => m.login),
          )} can help.`,
        };
      }
      // The payload is the issue when the comment was made: a late or redelivered event (a `/release`
      // handled after a chair's `/handoff`) must not decide from it. Commands get the issue as it is now.
      const now = (await issueNow(ctx, repo, issue.number)) as IssueData | undefined;
      if (!now) {
        ctx.log.info({ issue: issue.number }, "the commented issue is gone: command ignored");
        return undefined;
      }
      return command.run({
        ctx,
        charter,
        issue: now,
        sender: member.login,
        args: parsed?.args ?? [],
        body: parsed?.body ?? "",
        repo,
        issueNumber: issue.number,
        commentId: comment.id,
      });
    }
  },
});

/** Private and not `internal` (which every member of the enterprise can read). */
function isPrivate(repository: { private: boolean; visibility?: string }): boolean {
  return repository.private && repository.visibility !== "internal";
}

function scopeOf(ctx: AppContext, repo: RepoRef, tracker: string | undefined): CommandScope | undefined {
  const full = `${repo.owner}/${repo.repo}`.toLowerCase();
  if (tracker && full === tracker.toLowerCase()) return "report";
  if (full === `${ctx.where.org}/${ctx.where.repo}`.toLowerCase()) return "charter";
  return undefined;
}

async function alreadyAnswered(
  ctx: AppContext,
  repo: RepoRef,
  issueNumber: number,
  commentId: number,
  since: string,
): Promise<boolean> {
  const markers = await ownMarkers(ctx, repo, issueNumber, { since });
  return markers.includes(`reply:${commentId}`);
}
