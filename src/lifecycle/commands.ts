import { findMember, isFullMember, sameLogin } from "../charter/facts.js";
import { loginArg } from "../commands/parse.js";
import type { CommandAnswer, CommandInvocation, CommandOutcome, CommandSpec } from "../commands/types.js";
import type { Action } from "../core/actions.js";
import { marker } from "../core/markers.js";
import { repositoryAdvisory } from "../github/advisories.js";
import { issueComments } from "../github/comments.js";
import { advisoryRepoOf, ghsaOf } from "../reports/tracking-markers.js";
import {
  canConfirm,
  type Invitation,
  invitations,
  invitedKey,
  inviteKey,
  isOutsider,
  uninvitedKey,
} from "./need-to-know.js";
import { reaffirmCommand } from "./reaffirm-command.js";

interface Tracking {
  ghsaId: string;
  advisoryRepo: { owner: string; repo: string };
  invitations: Map<string, Invitation>;
}

/** The advisory behind this tracking issue and the invitations recorded on it, or a refusal. */
async function tracking(inv: CommandInvocation): Promise<Tracking | string> {
  const { ctx, repo, issueNumber, issue } = inv;
  const self = await ctx.self();
  const ghsaId = ghsaOf(issue, self);
  const advisoryRepo = advisoryRepoOf(issue, self);
  if (!ghsaId || !advisoryRepo) return "this is not a tracking issue the app opened for an advisory";
  const replies = (await issueComments(ctx, repo, issueNumber, { own: true })).map((c) => c.body);
  return { ghsaId, advisoryRepo, invitations: invitations(replies) };
}

/** The advisory's collaborating users as GitHub has them now (the PATCH replaces the whole list). */
async function collaborators(inv: CommandInvocation, t: Tracking): Promise<string[]> {
  const advisory = await repositoryAdvisory(inv.ctx, t.advisoryRepo, t.ghsaId);
  return (advisory.collaborating_users ?? []).map((u) => u.login);
}

/**
 * The collaborator change comes before the reply, whose marker is the invitation's state: when GitHub
 * refuses the change, the dispatcher posts `refused` (given GitHub's reason) instead of `answer`.
 */
function changeFirst(
  action: Action | undefined,
  refused: (error: string) => string,
  answer: CommandAnswer,
): CommandOutcome {
  if (!action) return answer;
  return {
    attempt: [action],
    failed: (result) => refused(result.error ?? "GitHub refused the change"),
    succeeded: async () => answer,
  };
}

const refuse = (sender: string, reason: string): CommandOutcome => ({
  reply: `@${sender}: refused: ${reason}.`,
});

function target(inv: CommandInvocation, usage: string): string | CommandOutcome {
  const login = loginArg(inv.args[0]);
  if (!login || inv.args.length !== 1) return { reply: `@${inv.sender}: usage: \`${usage}\`` };
  return login;
}

const invite: CommandSpec = {
  name: "invite",
  usage: "/invite @login",
  summary:
    "ask to bring in an outside expert (need to know); takes effect after `/confirm` by a member of another organisation",
  who: "member",
  scope: "report",
  async run(inv) {
    const login = target(inv, this.usage);
    if (typeof login !== "string") return login;
    if (!isOutsider(inv.charter, login)) {
      return refuse(inv.sender, `@${login} is a member of the security team and already sees every report`);
    }
    const t = await tracking(inv);
    if (typeof t === "string") return refuse(inv.sender, t);
    const current = t.invitations.get(login.toLowerCase());
    if (current?.state === "effective") {
      return refuse(
        inv.sender,
        `@${login} already has access (asked by @${current.requester}, confirmed by @${current.confirmer})`,
      );
    }
    const affiliation = findMember(inv.charter, inv.sender)?.affiliation;
    return {
      reply: [
        `@${inv.sender} asks to bring @${login} into this report on a need-to-know basis.`,
        `It takes effect when a member of another organisation${affiliation ? ` than ${affiliation}` : ""} replies \`/confirm @${login}\`.`,
        marker(inviteKey(login, inv.sender)),
      ].join("\n\n"),
    };
  },
};

const confirm: CommandSpec = {
  name: "confirm",
  usage: "/confirm @login",
  summary: "confirm another member's `/invite`: the expert becomes a collaborator on the advisory",
  who: "full-member",
  scope: "report",
  async run(inv) {
    const login = target(inv, this.usage);
    if (typeof login !== "string") return login;
    if (!isOutsider(inv.charter, login)) {
      return refuse(inv.sender, `@${login} is a member of the security team and needs no invitation`);
    }
    const t = await tracking(inv);
    if (typeof t === "string") return refuse(inv.sender, t);
    const pending = t.invitations.get(login.toLowerCase());
    if (pending?.state !== "pending") {
      return refuse(
        inv.sender,
        `there is no pending invitation for @${login} here; a member asks first with \`/invite @${login}\``,
      );
    }
    const verdict = canConfirm(inv.charter, pending.requester, inv.sender);
    if (!verdict.ok) return refuse(inv.sender, verdict.reason);
    const requester = findMember(inv.charter, pending.requester)?.login ?? pending.requester;
    const users = await collaborators(inv, t);
    const add = !users.some((u) => sameLogin(u, login));
    return changeFirst(
      add
        ? {
            kind: "advisory.setCollaborators",
            repo: t.advisoryRepo,
            ghsaId: t.ghsaId,
            users: [...users, login],
            why: `need to know: @${login} asked by @${requester}, confirmed by @${inv.sender}`,
          }
        : undefined,
      (error) =>
        `@${inv.sender}: GitHub refused to add @${login} to the advisory (${error}); the invitation is still pending, try again.`,
      {
        reply: [
          `@${login} is now a collaborator on the advisory (need to know): asked by @${requester}, confirmed by @${inv.sender}.`,
          `\`/uninvite @${login}\` removes the access.`,
          marker(invitedKey(login, requester, inv.sender)),
        ].join("\n\n"),
      },
    );
  },
};

const uninvite: CommandSpec = {
  name: "uninvite",
  usage: "/uninvite @login",
  summary:
    "remove an outside expert the app brought in (or withdraw a pending invitation); full members or whoever asked",
  who: "member",
  scope: "report",
  async run(inv) {
    const login = target(inv, this.usage);
    if (typeof login !== "string") return login;
    if (!isOutsider(inv.charter, login)) {
      return refuse(
        inv.sender,
        `@${login} is a member of the security team; membership changes through the charter`,
      );
    }
    const t = await tracking(inv);
    if (typeof t === "string") return refuse(inv.sender, t);
    // Only what the app did through `/invite` + `/confirm` is undone here: a collaborator someone added
    // by hand (a co-maintainer, the reporter's colleague) is theirs to remove, in the advisory.
    const invitation = t.invitations.get(login.toLowerCase());
    if (invitation?.state !== "pending" && invitation?.state !== "effective") {
      return refuse(
        inv.sender,
        `@${login} was not brought in here with \`/invite\` and \`/confirm\`; the app removes only the people it added (others are removed in the advisory's settings)`,
      );
    }
    if (!isFullMember(inv.charter, inv.sender, inv.ctx.now) && !sameLogin(inv.sender, invitation.requester)) {
      return refuse(
        inv.sender,
        `only a full member or @${invitation.requester}, who asked for @${login}, can end this invitation`,
      );
    }
    if (invitation.state === "pending") {
      return {
        reply: `The pending invitation for @${login} is withdrawn (by @${inv.sender}).\n\n${marker(uninvitedKey(login))}`,
      };
    }
    const users = await collaborators(inv, t);
    const kept = users.filter((u) => !sameLogin(u, login));
    const remove = kept.length !== users.length;
    const what = remove
      ? `@${login} is no longer a collaborator on the advisory`
      : `@${login} was no longer a collaborator on the advisory; the invitation is ended`;
    return changeFirst(
      remove
        ? {
            kind: "advisory.setCollaborators",
            repo: t.advisoryRepo,
            ghsaId: t.ghsaId,
            users: kept,
            why: `need to know ended for @${login} (by @${inv.sender})`,
          }
        : undefined,
      (error) =>
        `@${inv.sender}: GitHub refused to remove @${login} from the advisory (${error}); try again.`,
      { reply: `${what} (by @${inv.sender}).\n\n${marker(uninvitedKey(login))}` },
    );
  },
};

export const lifecycleCommands: CommandSpec[] = [invite, confirm, uninvite, reaffirmCommand];
