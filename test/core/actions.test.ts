import { describe, expect, it } from "vitest";
import { type Action, describeAction, oneUpdatePerIssue } from "../../src/core/actions.js";

type IssueUpdate = Extract<Action, { kind: "issue.update" }>;

const repo = { owner: "django", repo: "security-reports" };
const refresh = (number: number, body = "section"): IssueUpdate => ({
  kind: "issue.update",
  repo,
  number,
  body,
  why: "show the advisory as it is now",
});
const close = (number: number): IssueUpdate => ({
  kind: "issue.update",
  repo,
  number,
  state: "closed",
  stateReason: "completed",
  why: "the advisory is published",
});
const comment = (number: number): Action => ({
  kind: "issue.comment",
  repo,
  number,
  body: "x",
  why: "say why",
});

describe("oneUpdatePerIssue", () => {
  it("folds an issue's later update into its first, keeping everything else where it was", () => {
    const planned = oneUpdatePerIssue([refresh(5), close(5), comment(5), refresh(6), comment(6)]);
    expect(planned).toEqual([
      {
        kind: "issue.update",
        repo,
        number: 5,
        body: "section",
        state: "closed",
        stateReason: "completed",
        why: "show the advisory as it is now; the advisory is published",
      },
      comment(5),
      refresh(6),
      comment(6),
    ]);
    // The dry-run plan says both in its one line.
    expect(planned.map(describeAction)).toEqual([
      "close (completed) and edit django/security-reports#5",
      "comment on django/security-reports#5",
      "edit django/security-reports#6",
      "comment on django/security-reports#6",
    ]);
  });

  it("keeps updates of different issues, and updates that disagree, apart", () => {
    const reopen: Action = { ...close(5), state: "open", stateReason: "reopened" };
    const other = { ...repo, repo: "other" };
    const elsewhere: Action = { ...close(5), repo: other };
    expect(oneUpdatePerIssue([close(5), reopen])).toEqual([close(5), reopen]);
    expect(oneUpdatePerIssue([refresh(5, "a"), refresh(5, "b")])).toEqual([refresh(5, "a"), refresh(5, "b")]);
    expect(oneUpdatePerIssue([refresh(5), elsewhere, close(6)])).toEqual([refresh(5), elsewhere, close(6)]);
  });

  it("describes a single change as before", () => {
    expect(describeAction(close(5))).toBe("close (completed) django/security-reports#5");
    expect(describeAction(refresh(5))).toBe("edit django/security-reports#5");
  });
});
