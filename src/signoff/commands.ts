import { findMember, isOnboarding } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import { parseCommand } from "../commands/parse.js";
import type { CommandAnswer, CommandInvocation, CommandOutcome, CommandSpec } from "../commands/types.js";
import type { Action } from "../core/actions.js";
import { type ActionResult, messageOf, statusOf } from "../core/executor.js";
import { isOwn } from "../core/identity.js";
import { hasMarker, marker } from "../core/markers.js";
import { inert } from "../core/people-text.js";
import { advisoryComments } from "../github/advisories.js";
import { type IssueComment, issueComments } from "../github/comments.js";
import { approveStep } from "../reports/advisory-commands.js";
import { advisoryRepoOf, ghsaOf } from "../reports/tracking-markers.js";
import { describeReason } from "./closes.js";
import {
  closeApprovedKey,
  draftApprovedKey,
  draftKey,
  type Pending,
  pendingSignoffs,
  pendingSteps,
  signoffReviewers,
} from "./pending.js";

/** The reply text of a `/draft` comment: everything after `/draft` on the first line and below it. */
export function draftText(body: string | null | undefined): string {
  const parsed = parseCommand(body);
  if (!parsed) return "";
  return [parsed.args.join(" "), parsed.body].filter(Boolean).join("\n").trim();
}

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Which pending draft an `/approve` names: one it links (`#issuecomment-<id>`), or one whose text
 * contains the lines it quotes (`> …`). `undefined` when it names none; `"unknown"` when it names
 * something that is not a pending draft.
 */
export function namedDraft(
  approveText: string,
  pendingDrafts: number[],
  drafts: Map<number, string>,
): number | "unknown" | undefined {
  const links = [...approveText.matchAll(/issuecomment-(\d+)/g)].map((m) => Number(m[1]));
  if (links.length > 0) return links.find((id) => pendingDrafts.includes(id)) ?? "unknown";
  const quoted = normalize(
    approveText
      .split("\n")
      .filter((l) => l.trimStart().startsWith(">"))
      .map((l) => l.trimStart().replace(/^>\s?/, ""))
      .join(" "),
  );
  if (!quoted) return undefined;
  return pendingDrafts.find((id) => normalize(drafts.get(id) ?? "").includes(quoted)) ?? "unknown";
}

function withoutLabelWhenDone(charter: Charter, inv: CommandInvocation, stillPending: boolean): Action[] {
  if (stillPending) return [];
  return [
    {
      kind: "issue.removeLabel",
      repo: inv.repo,
      number: inv.issueNumber,
      label: charter.labels.needs_signoff,
      why: "nothing on this report awaits sign-off any more",
    },
  ];
}

/** The sentence for the reply, and the advisory comment to post first (with why it failed, if it does). */
interface Sending {
  said: string;
  post?: { action: Action; failure(result: ActionResult): string };
}

/**
 * With `features.advisory_comments`, plans posting a ready draft to the advisory (once: the advisory
 * comment carries `draft-sent:<id>`). Returns the sentence for the reply, or an error that stops the approval.
 */
async function send(
  inv: CommandInvocation,
  draftId: number,
  text: string,
): Promise<Sending | { error: string }> {
  const { ctx, charter } = inv;
  if (!charter.features.advisory_comments) {
    return {
      said: "Post it to the advisory yourself (the app posts drafts only with `features.advisory_comments`).",
    };
  }
  const self = await ctx.self();
  const ghsaId = ghsaOf(inv.issue, self);
  const advisoryRepo = advisoryRepoOf(inv.issue, self);
  if (!ghsaId || !advisoryRepo) {
    return { said: "This issue names no advisory, so post it yourself." };
  }
  const sentKey = `draft-sent:${draftId}`;
  const already = await advisoryComments(ctx, advisoryRepo, ghsaId).catch((error) => error);
  if (!Array.isArray(already)) {
    return { error: `could not read the advisory's comments (${statusOf(already) ?? messageOf(already)})` };
  }
  // Only the app's own advisory comments are records: a reporter can type any marker there.
  if (already.some((c) => c.user && isOwn(c, self) && hasMarker(c.body, sentKey)))
    return { said: `It was already posted to ${ghsaId}.` };
  return {
    said: `The app posted it to ${ghsaId}; the reporter can see it.`,
    post: {
      action: {
        kind: "advisory.comment",
        repo: advisoryRepo,
        ghsaId,
        body: `${inert(text)}\n\n${marker(sentKey)}`,
        why: `approved draft ${draftId}`,
      },
      failure: (result) => `posting it to ${ghsaId} failed (${result.status ?? result.error})`,
    },
  };
}

/** Posting the draft comes before `answer`; when it fails, `notSent` answers with the reason instead. */
function afterSending(
  sent: Sending,
  notSent: (error: string) => string,
  answer: CommandAnswer,
): CommandOutcome {
  const { post } = sent;
  if (!post) return answer;
  return {
    attempt: [post.action],
    failed: (result) => notSent(post.failure(result)),
    succeeded: async () => answer,
  };
}

async function approve(inv: CommandInvocation): Promise<CommandOutcome> {
  const { ctx, charter, sender, repo, issueNumber } = inv;
  const self = await ctx.self();
  const comments = await issueComments(ctx, repo, issueNumber);
  const found = pendingSignoffs(comments, self);
  const pending: Pending = inv.issue.state === "open" ? found : { drafts: found.drafts };
  const byId = new Map<number, IssueComment>(comments.map((c) => [c.id, c]));
  const drafts = new Map(pending.drafts.map((id) => [id, draftText(byId.get(id)?.body)]));
  const approveText = [inv.args.join(" "), inv.body].join("\n");
  const named = namedDraft(approveText, pending.drafts, drafts);

  if (named === "unknown") {
    return {
      reply: `@${sender}: the draft you quoted or linked is not awaiting sign-off here. Nothing changed. Pending drafts: ${
        pending.drafts.map((id) => byId.get(id)?.html_url ?? `comment ${id}`).join(", ") || "none"
      }.`,
    };
  }
  const [step, ...laterSteps] = pendingSteps(comments, self);
  if (named === undefined && pending.close) {
    const { requestId, reason, closer } = pending.close;
    return {
      reply: `Signed off by @${sender}: closed as **${describeReason(reason)}**, as @${closer} decided.\n\n${marker(closeApprovedKey(requestId))}`,
      actions: [
        {
          kind: "issue.update",
          repo,
          number: issueNumber,
          state: "closed",
          stateReason: reason,
          why: `@${sender} signed off @${closer}'s close`,
        },
        ...withoutLabelWhenDone(charter, inv, pending.drafts.length > 0 || step !== undefined),
      ],
    };
  }
  if (named === undefined && step) {
    const stillPending = laterSteps.length > 0 || pending.drafts.length > 0;
    return approveStep(inv, step, byId.get(step.commentId)?.body, stillPending);
  }
  const draftId = named ?? pending.drafts.at(-1);
  if (draftId === undefined) {
    return { reply: `@${sender}: nothing on this report awaits sign-off. Nothing changed.` };
  }
  const draft = byId.get(draftId);
  if (draft && draft.updated_at > ctx.payload.comment.created_at) {
    return {
      reply: `@${sender}: the draft ${draft.html_url} was edited after your \`/approve\`. Read it again and approve anew. Nothing changed.`,
    };
  }
  const sent = await send(inv, draftId, drafts.get(draftId) ?? "");
  const notSent = (error: string) =>
    `@${sender}: not signed off: ${error}. Nothing changed; run \`/approve\` again.`;
  if ("error" in sent) return { reply: notSent(sent.error) };
  const others = pending.drafts.filter((id) => id !== draftId);
  return afterSending(sent, notSent, {
    reply: `Signed off by @${sender}: draft ${draft?.html_url ?? draftId} is ready to send. ${sent.said}\n\n${marker(draftApprovedKey(draftId))}`,
    actions: withoutLabelWhenDone(
      charter,
      inv,
      others.length > 0 || pending.close !== undefined || step !== undefined,
    ),
  });
}

async function draft(inv: CommandInvocation): Promise<CommandOutcome> {
  const { ctx, charter, sender, repo, issueNumber, commentId } = inv;
  const text = draftText(ctx.payload.comment.body);
  const link = ctx.payload.comment.html_url;
  if (!text) {
    return {
      reply: `@${sender}: \`/draft\` needs the reply text, on the same line or the lines below. Nothing changed.`,
    };
  }
  const member = findMember(charter, sender);
  if (member && isOnboarding(charter, member, ctx.now)) {
    const owner = inv.issue.assignees?.[0]?.login;
    return {
      reply: [
        `Draft ${link} by @${sender} awaits sign-off: @${sender} is still onboarding, so a full member reviews replies to reporters.`,
        "",
        `${signoffReviewers(charter, owner, sender, ctx.now)}: comment \`/approve\` (add a link to the draft, or quote it, when several are pending).`,
        "",
        marker(draftKey(commentId)),
      ].join("\n"),
      actions: [
        {
          kind: "issue.addLabels",
          repo,
          number: issueNumber,
          labels: [charter.labels.needs_signoff],
          why: `@${sender} is onboarding: their draft needs a full member's sign-off`,
        },
      ],
    };
  }
  const sent = await send(inv, commentId, text);
  const notSent = (error: string) =>
    `@${sender}: ${error}. Nothing changed; post the draft again with \`/draft\`.`;
  if ("error" in sent) return { reply: notSent(sent.error) };
  return afterSending(sent, notSent, {
    reply: `No sign-off needed: @${sender} is a full member. Draft ${link} is ready to send. ${sent.said}\n\n${marker(draftApprovedKey(commentId))}`,
  });
}

export const signoffCommands: CommandSpec[] = [
  {
    name: "draft",
    usage: "/draft <reply to the reporter>",
    summary: `propose a reply to the reporter; an onboarding member's draft waits for a full member's \`/approve\``,
    who: "member",
    scope: "report",
    run: draft,
  },
  {
    name: "approve",
    usage: "/approve [link to or quote of a draft]",
    summary:
      "sign off an onboarding member's close of this report, their draft, or a pending `/accept`, `/reject` or `/publish`",
    who: "full-member",
    scope: "report",
    run: approve,
  },
];
