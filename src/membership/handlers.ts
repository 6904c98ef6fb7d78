import { charterRepo, pushTouchesCharter } from "../charter/source.js";
import { type AppContext, type Handler, handler } from "../context.js";
import { isOwn, isSelf } from "../core/identity.js";
import { ownIssueMarked } from "../github/issues.js";
import { defaultBranchHead } from "../github/repositories.js";
import { type DriftEvent, driftIssue, driftMarker, planDrift, type RevertResult } from "./drift.js";
import { handleLeave, isVoluntaryLeave, LEAVE_BRANCH } from "./leave.js";
import { reconcileTeam, reportSyncCheck } from "./sync.js";

const charterPush = handler({
  name: "team-sync-on-charter-push",
  events: ["push"],
  async run(ctx) {
    if (!pushTouchesCharter(ctx.payload, ctx.where)) return;
    await reconcileTeam(ctx, { reportOn: ctx.payload.after });
  },
});

/** On install (or when the charter repo joins the installation) the team is brought in line once. */
const install = handler({
  name: "team-sync-on-install",
  events: ["installation.created", "installation_repositories.added"],
  async run(ctx) {
    if ("repositories_added" in ctx.payload) {
      const added = ctx.payload.repositories_added;
      if (!added.some((r) => r.name.toLowerCase() === ctx.where.repo.toLowerCase())) return;
    }
    const outcome = await reconcileTeam(ctx);
    const attention =
      outcome.status === "refused" ||
      outcome.failures.length > 0 ||
      (outcome.status === "invalid-charter" && outcome.plan.errors.length > 0);
    if (!attention) return;
    // No commit changed the charter: report on the head of its default branch.
    const head = await defaultBranchHead(ctx, charterRepo(ctx.where));
    await reportSyncCheck(ctx, head, outcome);
  },
});

/**
 * Drift: someone other than the app added or removed a team member by hand. A member who removed
 * themselves is a voluntary leave (`leave.ts`), not drift.
 */
const drift = handler({
  name: "team-drift",
  events: ["membership.added", "membership.removed"],
  async run(ctx) {
    const { payload } = ctx;
    if (payload.scope !== "team" || !payload.member) return;
    const self = await ctx.self();
    if (isSelf(payload.sender, self)) return; // the app's own sync and reverts
    const read = await ctx.charter();
    if (!read.ok) {
      ctx.log.warn({ handler: "team-drift" }, "team changed by hand, but the charter is invalid: ignored");
      return;
    }
    if (payload.team.slug?.toLowerCase() !== read.charter.team.toLowerCase()) return;
    const event: DriftEvent = {
      change: payload.action,
      login: payload.member.login,
      sender: payload.sender?.login ?? "someone",
      deliveryId: ctx.deliveryId,
    };
    // Someone who left themselves is not added back: a charter PR proposes their removal instead.
    if (isVoluntaryLeave(read.charter, event) && (await handleLeave(ctx, read.charter, event))) return;
    const plan = planDrift(read.charter, event);
    if (plan.agrees) return;
    if (await alreadyHandled(ctx, driftMarker(event.deliveryId))) return;
    let result: RevertResult = "not-reverted";
    if (plan.revert) {
      const [applied] = await ctx.apply([plan.revert]);
      result = applied?.outcome === "failed" ? "revert-failed" : "reverted";
    }
    await ctx.apply([driftIssue(read.charter, ctx.where, event, result)]);
  },
});

/** A leave pull request closed without merging: the member is in the charter again, so sync at once. */
const leaveClosed = handler({
  name: "team-leave-closed",
  events: ["pull_request.closed"],
  async run(ctx) {
    const pull = ctx.payload.pull_request;
    if (pull.merged || !LEAVE_BRANCH.test(pull.head.ref)) return;
    if (ctx.payload.repository.name.toLowerCase() !== ctx.where.repo.toLowerCase()) return;
    if (!isOwn(pull, await ctx.self())) return;
    await reconcileTeam(ctx);
  },
});

/** A redelivered event finds the issue its first delivery opened (recent issues by the app). */
async function alreadyHandled(ctx: AppContext, key: string): Promise<boolean> {
  const since = new Date(ctx.now.getTime() - 7 * 86_400_000).toISOString();
  return ownIssueMarked(ctx, charterRepo(ctx.where), key, since);
}

export const membershipHandlers: Handler[] = [charterPush, install, drift, leaveClosed];
