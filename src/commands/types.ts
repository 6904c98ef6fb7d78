import type { Charter } from "../charter/schema.js";
import type { AppContext } from "../context.js";
import type { Action, RepoRef } from "../core/actions.js";
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

/** What a command answers: the reply text (the dispatcher posts it once) and the actions to apply first. */
export interface CommandOutcome {
  reply: string;
  actions?: Action[];
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
