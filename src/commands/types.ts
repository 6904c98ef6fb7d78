import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";
import type { AppContext } from "../core/context.js";
import type { ActionResult } from "../core/executor.js";
import type { IssueData } from "../reports/tracker.js";

/**
 * Where a command may be used: issues in the private tracker repo (tracking issues, the annual
 * reaffirmation issue), or issues in the charter repo.
 */
export type CommandScope = "report" | "charter";

export interface CommandInvocation {
  ctx: AppContext<"issue_comment.created">;
  charter: Charter;
  /** The issue as GitHub has it now, read after the comment (never the event's copy of it). */
  issue: IssueData;
  sender: string;
  args: string[];
  /** The comment's text after the command line. */
  body: string;
  repo: RepoRef;
  issueNumber: number;
  commentId: number;
}

/**
 * What a command answers; the dispatcher applies it and posts one reply. Commands only read and plan.
 */
export interface CommandOutcome {
  reply: string;
  /** Applied before the reply: a failure fails the delivery without a reply, so the redelivery runs the command again. */
  actions?: Action[];
  /**
   * Changes the reply depends on, applied first: when GitHub refuses one, its reason goes into the
   * `failed` reply instead (the reply's marker records only what happened), and `actions` are skipped.
   */
  attempt?: { actions: Action[]; failed(result: ActionResult): string };
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  /**
   * Who may run it: any member, only full members (not onboarding), or the report's owner and full
   * members (the command checks ownership itself).
   */
  who: "member" | "full-member" | "owner-or-full-member";
  scope: CommandScope;
  run(invocation: CommandInvocation): Promise<CommandOutcome>;
}
