import { describe, expect, it } from "vitest";
import type { Charter } from "../../src/charter/schema.js";
import { planCharterCheck, renderSummary } from "../../src/governance/check.js";
import { evaluateChanges, overallVerdict, planChanges } from "../../src/governance/plan.js";
import { type Nomination, type Review, standingReviews } from "../../src/governance/rules.js";
import { exampleCharter, TEST_NOW } from "../helpers/charter.js";

const base = exampleCharter();
const repo = { owner: "django", repo: ".github" };
const daysAgo = (n: number) => new Date(TEST_NOW.getTime() - n * 86_400_000);

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
    expect(planChanges(base, head)).toEqual([
      { kind: "add", member: expect.objectContaining({ login: "alice" }) },
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
    expect(planChanges(base, head)).toEqual([{ kind: "edit", login: "ShaiB", what: "login: shaib → ShaiB" }]);
  });

  it("makes an edit with no effect (comments, formatting) one 'other edit'", () => {
    expect(planChanges(base, structuredClone(base))).toEqual([
      { kind: "edit", what: "file edited (no change to members or settings)" },
    ]);
  });
});

let id = 1;
const review = (login: string, state: Review["state"], body = ""): Review => ({
  id: id++,
  login,
  state,
  body,
});

function summaryFor(head: Charter, reviews: Review[], nominations: Nomination[], body = "") {
  const pull = { author: "sarahboyce", body, reviews: standingReviews(reviews) };
  const evaluated = evaluateChanges(base, planChanges(base, head), pull, nominations, TEST_NOW);
  return renderSummary(evaluated, overallVerdict(evaluated));
}

describe("check summary (golden files)", () => {
  it("a mixed PR still waiting: the table and what is missing", async () => {
    const head = edit((c) => {
      addAlice(c);
      removeFelix(c);
      promoteShaib(c);
    });
    const young: Nomination = {
      number: 12,
      found: true,
      createdAt: daysAgo(9),
      title: "Nominate @alice",
      body: "",
    };
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
    const old: Nomination = {
      number: 12,
      found: true,
      createdAt: daysAgo(20),
      title: "Nominate @alice",
      body: "",
    };
    const summary = summaryFor(head, [review("nessita", "approved")], [old]);
    await expect(summary).toMatchFileSnapshot("__golden__/summary-pass.md");
  });

  it("blocked by an objection", async () => {
    const old: Nomination = {
      number: 12,
      found: true,
      createdAt: daysAgo(20),
      title: "Nominate @alice",
      body: "",
    };
    const summary = summaryFor(
      edit(addAlice),
      [review("nessita", "approved"), review("shaib", "changes_requested")],
      [old],
    );
    await expect(summary).toMatchFileSnapshot("__golden__/summary-fail.md");
  });
});

describe("planCharterCheck", () => {
  const pull = { author: "sarahboyce", body: "", reviews: [] };
  const input = {
    repo,
    path: ".github/security-charter.yml",
    headSha: "abc123",
    existingRun: undefined,
    base: { ok: true as const, charter: base, locate: () => ({ line: 1, col: 1 }) },
    head: { ok: true as const, charter: edit(promoteShaib), locate: () => ({ line: 1, col: 1 }) },
    pull,
    nominations: [],
    now: TEST_NOW,
  };

  it("creates the run when there is none, and updates the existing one otherwise", () => {
    const [created] = planCharterCheck(input);
    expect(created).toMatchObject({
      kind: "check.create",
      name: "charter",
      headSha: "abc123",
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

  it("is neutral when the base branch has no charter yet (nothing says who counts)", () => {
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
      output: { title: "No base charter to judge against" },
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
