import type { Charter } from "../charter/schema.js";
import type { AppContext } from "../context.js";
import type { Action, RepoRef } from "../core/actions.js";
import type { ActionResult } from "../core/executor.js";
import type { IssueData } from "../reports/read.js";

/**
 * Where a command may be used: issues in the private tracker repo (tracking issues, the annual
 * reaffirmation issue), or issues in the charter repo.
 */
export type CommandScope = "report" | "charter";

/**
 * What a command sees of its delivery: reads, the clock, the comment; no way to write (the dispatcher
 * applies what the command returns).
 */
export type CommandContext = Omit<
  AppContext<"issue_comment.created">,
  "apply" | "applyAnswered" | "failedWrites"
>;

export interface CommandInvocation {
  ctx: CommandContext;
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

/** The reply (the dispatcher posts it once) and the actions to apply before it. */
export interface CommandAnswer {
  reply: string;
  /** A failure fails the delivery without a reply, so the redelivery runs the command again. */
  actions?: Action[];
}

/**
 * Changes the answer depends on (the reply's marker records only what happened): the dispatcher
 * applies them first. When GitHub refuses one, `failed` (given its result) is the reply; otherwise
 * `succeeded` (given the results, such as a created fork) gives the answer. (Not `then`: that would
 * make the outcome a promise.)
 */
export interface CommandAttempt {
  attempt: Action[];
  failed(result: ActionResult): string;
  /** The refusal is answered in full (the advisory's rules, not an outage): it does not fail the delivery. */
  answered?: true;
  succeeded(results: ActionResult[]): Promise<CommandAnswer>;
}

/** What a command decides; commands only read and plan, the dispatcher applies. */
export type CommandOutcome = CommandAnswer | CommandAttempt;

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
