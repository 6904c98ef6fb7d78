import { describe, expect, it } from "vitest";
import type { Charter } from "../../src/charter/schema.js";
import { type Review, standingReviews } from "../../src/github/reviews.js";
import { planCharterCheck, renderSummary } from "../../src/governance/check.js";
import { evaluateChanges, overallVerdict, planChanges } from "../../src/governance/plan.js";
import type { Nomination } from "../../src/governance/rules.js";
import { exampleCharter, TEST_NOW } from "../helpers/charter.js";

const base = exampleCharter();
const repo = { owner: "django", repo: ".github" };
const daysAgo = (n: number) => new Date(TEST_NOW.getTime() - n * 86_400_000);
const when = { openedAt: daysAgo(1), now: TEST_NOW };
const nominationOf = (age: number): Nomination => ({
  ref: "#12",
  found: true,
  issue: {
    isPullRequest: false,
    author: "shaib",
    createdAt: daysAgo(age),
    state: "open",
    stateReason: null,
    title: "Nominate @alice",
    body: "",
  },
});

function edit(change: (c: Charter) => void): Charter {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
const addAlice = (c: Charter) => {
  c.members.push({
    login: "alice",
    affiliation: "Zapier",
    roles: ["triager"],
    joined: "2026-12-01",
    unavailable: false,
  });
};
const removeFelix = (c: Charter) => {
  c.members = c.members.filter((m) => m.login !== "felixxm");
};
const promoteShaib = (c: Charter) => {
  const shaib = c.members.find((m) => m.login === "shaib");
  if (shaib) shaib.roles = ["triager", "co-chair"];
};

describe("planChanges", () => {
  it("lists additions, removals, role changes, member edits and settings edits, in that order", () => {
    const head = edit((c) => {
      addAlice(c);
      removeFelix(c);
      promoteShaib(c);
      const nessita = c.members.find((m) => m.login === "nessita");
      if (nessita) nessita.affiliation = "Canonical";
      c.policy.nomination.window_days = 7;
    });
    expect(planChanges(base, head, when)).toEqual([
      { kind: "add", member: expect.objectContaining({ login: "alice" }), joining: "onboarding" },
      { kind: "remove", member: expect.objectContaining({ login: "felixxm" }) },
      { kind: "role", login: "shaib", from: ["triager"], to: ["triager", "co-chair"] },
      { kind: "edit", login: "nessita", what: "affiliation: Django Software Foundation → Canonical" },
      { kind: "edit", what: "policy.nomination changed" },
    ]);
  });

  it("treats a login's case change as an edit, not a removal plus an addition", () => {
    const head = edit((c) => {
      const shaib = c.members.find((m) => m.login === "shaib");
      if (shaib) shaib.login = "ShaiB";
    });
    expect(planChanges(base, head, when)).toEqual([
      { kind: "edit", login: "ShaiB", what: "login: shaib → ShaiB" },
    ]);
  });

  it("makes an edit with no effect (comments, formatting) one 'other edit'", () => {
    expect(planChanges(base, structuredClone(base), when)).toEqual([
      { kind: "edit", what: "file edited (no change to members or settings)" },
    ]);
  });

  it("marks a new member who skips onboarding, and an edit that ends someone's onboarding early", () => {
    const head = edit((c) => {
      addAlice(c);
      (c.members.at(-1) as { onboarding?: boolean }).onboarding = false;
      const newperson = c.members.find((m) => m.login === "newperson");
      if (newperson) newperson.joined = "2026-01-01";
    });
    expect(planChanges(base, head, when)).toEqual([
      { kind: "add", member: expect.objectContaining({ login: "alice" }), joining: "full member" },
      {
        kind: "edit",
        login: "newperson",
        what: "joined: 2026-10-20 → 2026-01-01",
        endsOnboarding: true,
      },
    ]);
  });
});

let id = 1;
const review = (login: string, state: Review["state"], body = ""): Review => ({
  id: id++,
  login,
  state,
  body,
  commitId: null,
});

function summaryFor(head: Charter, reviews: Review[], nominations: Nomination[], body = "") {
  const pull = { author: "sarahboyce", body, reviews: standingReviews(reviews), openedAt: when.openedAt };
  const evaluated = evaluateChanges(base, planChanges(base, head, when), pull, nominations, TEST_NOW);
  return renderSummary(evaluated, overallVerdict(evaluated));
}

describe("check summary (golden files)", () => {
  it("a mixed PR still waiting: the table and what is missing", async () => {
    const head = edit((c) => {
      addAlice(c);
      removeFelix(c);
      promoteShaib(c);
    });
    const young = nominationOf(9);
    const summary = summaryFor(
      head,
      [review("newperson", "approved"), review("charettes", "approved", "COI: same employer")],
      [young],
    );
    await expect(summary).toMatchFileSnapshot("__golden__/summary-pending.md");
  });

  it("every change passing", async () => {
    const head = edit((c) => {
      addAlice(c);
      promoteShaib(c);
    });
    const old = nominationOf(20);
    const summary = summaryFor(head, [review("nessita", "approved")], [old]);
    await expect(summary).toMatchFileSnapshot("__golden__/summary-pass.md");
  });

  it("blocked by an objection", async () => {
    const old = nominationOf(20);
    const summary = summaryFor(
      edit(addAlice),
      [review("nessita", "approved"), review("shaib", "changes_requested")],
      [old],
    );
    await expect(summary).toMatchFileSnapshot("__golden__/summary-fail.md");
  });
});

describe("check summary: an outsider's PR (golden file)", () => {
  it("each refused nomination, the missing affiliation and the skipped onboarding, each with its reason", async () => {
    const head = edit((c) => {
      c.members.push(
        { login: "mallory", roles: ["chair"], joined: "2026-01-01", unavailable: false },
        { login: "sql", affiliation: "Acme", roles: [], joined: "2026-12-20", unavailable: false },
      );
    });
    const notAllowed: Nomination = { ref: "django/security-reports#1", found: false, why: "not-allowed" };
    const summary = summaryFor(head, [review("shaib", "approved")], [notAllowed]);
    await expect(summary).toMatchFileSnapshot("__golden__/summary-outsider.md");
  });
});

describe("planCharterCheck", () => {
  const pull = { author: "sarahboyce", body: "", reviews: [], openedAt: when.openedAt };
  const loaded = (charter: Charter) => ({
    ok: true as const,
    charter,
    locate: () => ({ line: 1, col: 1 }),
    warnings: [],
  });
  const input = {
    repo,
    path: ".github/security-charter.yml",
    headSha: "abc1234def",
    existingRun: undefined,
    base: loaded(base),
    lastValid: undefined,
    head: loaded(edit(promoteShaib)),
    pull,
    nominations: [],
    pullNumber: 2,
    pullsAtHead: [2],
    now: TEST_NOW,
  };

  it("creates the run when there is none, and updates the existing one otherwise", () => {
    const [created] = planCharterCheck(input);
    expect(created).toMatchObject({
      kind: "check.create",
      name: "charter",
      headSha: "abc1234def",
      conclusion: "failure",
    });
    const run = { id: 77, conclusion: "success", title: "old", summary: "old" };
    const [updated] = planCharterCheck({ ...input, existingRun: run });
    expect(updated).toMatchObject({ kind: "check.update", checkRunId: 77, conclusion: "failure" });
    // A repeated delivery with nothing new rewrites nothing.
    if (created?.kind !== "check.create") throw new Error("no run created");
    const same = {
      id: 77,
      conclusion: created.conclusion,
      title: created.output.title,
      summary: created.output.summary,
    };
    expect(planCharterCheck({ ...input, existingRun: same })).toEqual([]);
  });

  it("fails when another open pull request has the same head commit, naming both", () => {
    const [action] = planCharterCheck({ ...input, pullsAtHead: [5, 2] });
    expect(action).toMatchObject({
      conclusion: "failure",
      output: {
        title: "This commit is the head of several pull requests",
        summary:
          "Commit `abc1234` is the head of #2 and #5. A check run belongs to a commit, so one verdict would stand for all of them. " +
          "Close one of #2, #5, or push a new commit to one, and the check runs again.",
      },
    });
  });

  it("with an invalid default branch: fails unless there is a valid charter in its history to judge by", () => {
    const invalid = { ok: false as const, errors: [{ file: "x", line: 3, col: 1, message: "bad" }] };
    const [none] = planCharterCheck({ ...input, base: invalid });
    expect(none).toMatchObject({
      conclusion: "failure",
      output: { title: "The charter on the default branch is invalid" },
    });
    const [judged] = planCharterCheck({
      ...input,
      base: invalid,
      lastValid: { charter: base, commit: "0123456789abcdef" },
      pull: { ...pull, reviews: [review("nessita", "approved")] },
    });
    expect(judged).toMatchObject({ conclusion: "success" });
    expect(judged?.kind === "check.create" && judged.output.summary).toContain(
      "judged by the newest valid charter in the branch's history (commit `0123456`)",
    );
  });

  it("shows the head's warnings in the summary and as warning annotations, without failing", () => {
    const warning = { file: "x", line: 49, col: 5, message: "members.7.onboarding: bob's onboarding ended" };
    const [action] = planCharterCheck({
      ...input,
      head: { ...loaded(edit(promoteShaib)), warnings: [warning] },
      pull: { ...pull, reviews: [review("nessita", "approved")] },
    });
    expect(action).toMatchObject({
      conclusion: "success",
      output: {
        annotations: [
          {
            path: ".github/security-charter.yml",
            start_line: 49,
            end_line: 49,
            start_column: 5,
            end_column: 5,
            annotation_level: "warning",
            message: "members.7.onboarding: bob's onboarding ended",
          },
        ],
      },
    });
  });

  it("is neutral when the default branch has never had a charter (nothing says who counts)", () => {
    const [action] = planCharterCheck({
      ...input,
      base: {
        ok: false,
        missing: true,
        errors: [{ file: "x", line: 1, col: 1, message: "charter file not found" }],
      },
    });
    expect(action).toMatchObject({
      conclusion: "neutral",
      output: { title: "No charter to judge against" },
    });
  });

  it("fails without annotations when the PR deletes the charter", () => {
    const [action] = planCharterCheck({
      ...input,
      head: {
        ok: false,
        missing: true,
        errors: [{ file: "x", line: 1, col: 1, message: "charter file not found" }],
      },
    });
    expect(action).toMatchObject({ conclusion: "failure", output: { title: "The charter file is missing" } });
    expect(action?.kind === "check.create" ? action.output.annotations : "not a create").toBeUndefined();
  });
});
