import { describe, expect, it } from "vitest";
import type { Charter, Member } from "../../src/charter/schema.js";
import { normalizeState, type Review, standingReviews } from "../../src/github/reviews.js";
import {
  additionRule,
  editRule,
  findNomination,
  type Nomination,
  type NominationIssue,
  type PullFacts,
  removalRule,
} from "../../src/governance/rules.js";
import { exampleCharter, TEST_NOW } from "../helpers/charter.js";

// The example charter at TEST_NOW: six full members (sarahboyce, jacobtylerwalls, shaib, felixxm,
// charettes, nessita) and one onboarding member (newperson, Acme).
const base = exampleCharter();
const nominee: Member = {
  login: "alice",
  affiliation: "Zapier",
  roles: [],
  joined: "2026-12-01",
  unavailable: false,
};
const daysAgo = (n: number) => new Date(TEST_NOW.getTime() - n * 86_400_000);
const issue = (patch: Partial<NominationIssue> = {}): NominationIssue => ({
  isPullRequest: false,
  author: "shaib",
  createdAt: daysAgo(30),
  state: "open",
  stateReason: null,
  title: "Nominate @alice",
  body: "",
  ...patch,
});
const nomination = (age: number, number = 12): Nomination[] => [
  { ref: `#${number}`, found: true, issue: issue({ createdAt: daysAgo(age) }) },
];

let nextId = 1;
function review(login: string, state: Review["state"], body = ""): Review {
  return { id: nextId++, login, state, body, commitId: null };
}
function pull(reviews: Review[], patch: Partial<PullFacts> = {}): PullFacts {
  return {
    author: "sarahboyce",
    body: "",
    reviews: standingReviews(reviews),
    openedAt: daysAgo(1),
    ...patch,
  };
}
function withPolicy(patch: Partial<Charter["policy"]["nomination"]>): Charter {
  return { ...base, policy: { ...base.policy, nomination: { ...base.policy.nomination, ...patch } } };
}

describe("reviews", () => {
  it("reads GitHub's states in either case (webhooks lowercase, REST uppercase)", () => {
    expect(
      [
        "APPROVED",
        "approved",
        "CHANGES_REQUESTED",
        "changes_requested",
        "DISMISSED",
        "COMMENTED",
        "PENDING",
      ].map(normalizeState),
    ).toEqual([
      "approved",
      "approved",
      "changes_requested",
      "changes_requested",
      "dismissed",
      "commented",
      "pending",
    ]);
  });

  it("keeps each reviewer's latest decision; comments do not override it; a dismissed one leaves nothing", () => {
    const standing = standingReviews([
      review("shaib", "changes_requested"),
      review("shaib", "approved"),
      review("shaib", "commented"),
      review("felixxm", "approved"),
      review("felixxm", "dismissed"),
      review("Charettes", "approved"),
      review("charettes", "changes_requested"),
    ]);
    expect(standing.map((r) => [r.login, r.state])).toEqual([
      ["shaib", "approved"],
      ["charettes", "changes_requested"],
    ]);
  });
});

describe("nominations", () => {
  const find = (...nominations: Nomination[]) => findNomination(base, nominee, nominations);

  it("takes the oldest linked issue that names @nominee, opened by another member, open or closed as completed", () => {
    const younger: Nomination = { ref: "#3", found: true, issue: issue({ createdAt: daysAgo(20) }) };
    const older: Nomination = {
      ref: "#2",
      found: true,
      issue: issue({ createdAt: daysAgo(40), state: "closed", stateReason: "completed" }),
    };
    expect(find(younger, older)).toEqual({ ok: true, ref: "#2", createdAt: daysAgo(40) });
  });

  it("says why each link does not qualify", () => {
    expect(
      find(
        { ref: "#1", found: true, issue: issue({ title: "Nominate @alice-smith" }) },
        { ref: "#2", found: true, issue: issue({ author: "alice" }) },
        { ref: "#3", found: true, issue: issue({ isPullRequest: true }) },
        { ref: "#4", found: true, issue: issue({ author: "stranger" }) },
        { ref: "#5", found: true, issue: issue({ state: "closed", stateReason: "duplicate" }) },
        { ref: "o/r#6", found: false, why: "not-allowed" },
        { ref: "#7", found: false, why: "not-found" },
      ),
    ).toEqual({
      ok: false,
      none: false,
      problems: [
        "nomination #1 does not name @alice",
        "nomination #2 was opened by the nominee",
        "nomination #3 is a pull request, not an issue",
        "nomination #4 was opened by @stranger, who is not a team member",
        "nomination #5 was closed as duplicate",
        "nomination o/r#6 is not in an allowed nomination repository",
        "nomination #7 was not found",
      ],
    });
    expect(find()).toEqual({ ok: false, none: true, problems: [] });
  });
});

describe("addition", () => {
  it("consent: passes with an old enough nomination and one approval from a full member", () => {
    const r = additionRule(base, nominee, nomination(14), pull([review("shaib", "approved")]), TEST_NOW);
    expect(r).toEqual({
      verdict: "pass",
      reason: "nomination #12 is 14 days old; full-member approvals: 1 (1 required, consent)",
      missing: [],
    });
  });

  it("is pending while the nomination is younger than window_days", () => {
    const r = additionRule(base, nominee, nomination(9), pull([review("shaib", "approved")]), TEST_NOW);
    expect(r.verdict).toBe("pending");
    expect(r.missing).toEqual(["nomination #12 is 9 days old; 14 required"]);
  });

  it("is pending without a linked nomination; fails with one that does not exist", () => {
    const none = additionRule(base, nominee, [], pull([review("shaib", "approved")]), TEST_NOW);
    expect(none.verdict).toBe("pending");
    expect(none.missing).toEqual(["link the nomination issue in the PR body: `Nomination: #123`"]);
    const missing = additionRule(
      base,
      nominee,
      [{ ref: "#5", found: false, why: "not-found" }],
      pull([review("shaib", "approved")]),
      TEST_NOW,
    );
    expect(missing).toEqual({
      verdict: "fail",
      reason: "nomination #5 was not found; full-member approvals: 1 (1 required, consent)",
      missing: [
        "link a nomination: an issue naming @alice, opened by another team member, in the charter repository or `policy.nomination.repos`",
      ],
    });
  });

  it("fails a nominee without an affiliation (nothing to compare for conflicts of interest)", () => {
    const { affiliation: _none, ...bare } = nominee;
    const r = additionRule(base, bare, nomination(30), pull([review("shaib", "approved")]), TEST_NOW);
    expect(r.verdict).toBe("fail");
    expect(r.missing).toEqual([
      "add `affiliation:` for the nominee: the conflict-of-interest rule compares it",
    ]);
    const blank = additionRule(base, { ...nominee, affiliation: " . " }, nomination(30), pull([]), TEST_NOW);
    expect(blank.verdict).toBe("fail");
  });

  it("needs a chair besides the rule when the nominee skips onboarding", () => {
    const skipping = { ...nominee, onboarding: false };
    const r = additionRule(base, skipping, nomination(30), pull([review("shaib", "approved")]), TEST_NOW);
    expect(r).toEqual({
      verdict: "pending",
      reason:
        "nomination #12 is 30 days old; full-member approvals: 1 (1 required, consent); joins as a full member: needs a chair's approval",
      missing: ["joins as a full member: needs approval from a chair (@sarahboyce, @jacobtylerwalls)"],
    });
    const chair = additionRule(
      base,
      skipping,
      nomination(30),
      pull([review("jacobtylerwalls", "approved")]),
      TEST_NOW,
    );
    expect(chair.verdict).toBe("pass");
    expect(chair.reason).toContain("joins as a full member: approved by chair @jacobtylerwalls");
  });

  it("consent: pending without approvals; the author's own support is not an approval", () => {
    const r = additionRule(base, nominee, nomination(30), pull([], { author: "shaib" }), TEST_NOW);
    expect(r.verdict).toBe("pending");
    expect(r.missing).toEqual(["needs 1 more approval from a full member"]);
  });

  it("consent: a standing changes-requested from any member (onboarding too) fails it", () => {
    const r = additionRule(
      base,
      nominee,
      nomination(30),
      pull([review("shaib", "approved"), review("newperson", "changes_requested")]),
      TEST_NOW,
    );
    expect(r.verdict).toBe("fail");
    expect(r.reason).toContain("changes requested by @newperson");
  });

  it("consent: an objection later withdrawn by approving no longer blocks", () => {
    const r = additionRule(
      base,
      nominee,
      nomination(30),
      pull([review("felixxm", "changes_requested"), review("felixxm", "approved")]),
      TEST_NOW,
    );
    expect(r.verdict).toBe("pass");
  });

  it("does not count an onboarding member's approval", () => {
    const r = additionRule(base, nominee, nomination(30), pull([review("newperson", "approved")]), TEST_NOW);
    expect(r).toEqual({
      verdict: "pending",
      reason:
        "nomination #12 is 30 days old; full-member approvals: 0 (1 required, consent); @newperson is onboarding, not counted",
      missing: ["needs 1 more approval from a full member"],
    });
  });

  it("does not count non-members or dismissed approvals", () => {
    const r = additionRule(
      base,
      nominee,
      nomination(30),
      pull([review("stranger", "approved"), review("shaib", "approved"), review("shaib", "dismissed")]),
      TEST_NOW,
    );
    expect(r.verdict).toBe("pending");
  });

  it("COI: a same-affiliation approval that discloses is shown and not counted", () => {
    // charettes is at Zapier, like the nominee.
    const r = additionRule(
      base,
      nominee,
      nomination(30),
      pull([review("charettes", "approved", "COI: we both work at Zapier")]),
      TEST_NOW,
    );
    expect(r.verdict).toBe("pending");
    expect(r.reason).toContain("@charettes disclosed a conflict of interest (COI), not counted");
  });

  it("COI: a same-affiliation approval that does not disclose is flagged and not counted", () => {
    const r = additionRule(
      base,
      nominee,
      nomination(30),
      pull([review("charettes", "approved", "LGTM")]),
      TEST_NOW,
    );
    expect(r.verdict).toBe("pending");
    expect(r.reason).toContain(
      '@charettes shares the affiliation "Zapier" and did not disclose it with `COI:`, not counted',
    );
  });

  it("majority: needs approvals from more than half of the full members", () => {
    const majority = withPolicy({ rule: "majority" });
    const three = ["shaib", "felixxm", "nessita"].map((l) => review(l, "approved"));
    const pending = additionRule(majority, nominee, nomination(30), pull(three), TEST_NOW);
    expect(pending.verdict).toBe("pending");
    expect(pending.missing).toEqual(["needs 1 more approval from a full member"]);
    expect(pending.reason).toContain("full-member approvals: 3 (4 required, majority of 6 full members)");
    const four = [...three, review("jacobtylerwalls", "approved")];
    expect(additionRule(majority, nominee, nomination(30), pull(four), TEST_NOW).verdict).toBe("pass");
  });

  it("unanimous: every other full member must approve (a disclosed conflict recuses)", () => {
    const unanimous = withPolicy({ rule: "unanimous" });
    const some = ["jacobtylerwalls", "shaib", "felixxm"].map((l) => review(l, "approved"));
    const r = additionRule(unanimous, nominee, nomination(30), pull(some), TEST_NOW);
    expect(r.verdict).toBe("pending");
    expect(r.missing).toEqual(["needs approval from @charettes, @nessita (unanimous)"]);
    const all = [
      ...some,
      review("nessita", "approved"),
      review("charettes", "approved", "COI: Zapier colleague"),
    ];
    expect(additionRule(unanimous, nominee, nomination(30), pull(all), TEST_NOW).verdict).toBe("pass");
  });

  it("unanimous and majority ignore changes-requested as a veto (only missing approvals matter)", () => {
    const majority = withPolicy({ rule: "majority" });
    const reviews = ["shaib", "felixxm", "nessita", "jacobtylerwalls"].map((l) => review(l, "approved"));
    const r = additionRule(
      majority,
      nominee,
      nomination(30),
      pull([...reviews, review("charettes", "changes_requested")]),
      TEST_NOW,
    );
    expect(r.verdict).toBe("pass");
  });
});

describe("removal", () => {
  const shaib = base.members.find((m) => m.login === "shaib") as Member;

  it("passes when the member removes themselves (author) or approves their removal", () => {
    expect(removalRule(base, shaib, pull([], { author: "Shaib" }), TEST_NOW)).toEqual({
      verdict: "pass",
      reason: "removes themselves (PR author)",
      missing: [],
    });
    expect(removalRule(base, shaib, pull([review("shaib", "approved")]), TEST_NOW).reason).toBe(
      "approved their own removal",
    );
  });

  it("passes a cited Steering Council vote or Code of Conduct decision once a full member vouches for it", () => {
    const body = "Steering-Council-Vote: https://forum.djangoproject.com/t/123";
    expect(removalRule(base, shaib, pull([], { body }), TEST_NOW)).toEqual({
      verdict: "pending",
      reason:
        "cites Steering-Council-Vote: `https://forum.djangoproject.com/t/123`, not yet vouched for; full-member approvals: 0 (3 required, majority of 5 full members)",
      missing: ["a full member approves to vouch for the citation"],
    });
    expect(removalRule(base, shaib, pull([review("felixxm", "approved")], { body }), TEST_NOW)).toEqual({
      verdict: "pass",
      reason: "cites Steering-Council-Vote: `https://forum.djangoproject.com/t/123`, vouched for by @felixxm",
      missing: [],
    });
    const onboarding = pull([review("newperson", "approved")], { body });
    expect(removalRule(base, shaib, onboarding, TEST_NOW).verdict).toBe("pending");
    const noLink = pull([review("felixxm", "approved")], { body: "Code-of-Conduct: decided by email" });
    expect(removalRule(base, shaib, noLink, TEST_NOW).verdict).toBe("pending");
  });

  it("with policy.removal.citations, counts only links under one of its prefixes", () => {
    const strict: Charter = {
      ...base,
      policy: {
        ...base.policy,
        removal: { ...base.policy.removal, citations: ["https://github.com/django/conduct/"] },
      },
    };
    const vouched = (body: string) =>
      removalRule(strict, shaib, pull([review("felixxm", "approved")], { body }), TEST_NOW);
    expect(vouched("Code-of-Conduct: https://github.com/django/conduct/issues/4").verdict).toBe("pass");
    const outside = vouched("Code-of-Conduct: https://github.com/django/conductor/1");
    expect(outside.verdict).toBe("pending");
    expect(outside.reason).toContain("not under `policy.removal.citations`");
  });

  it("passes when the member lapsed at reaffirmation", () => {
    const lapsed = { ...shaib, reaffirmed: "2025-01-10" };
    const charter = { ...base, members: base.members.map((m) => (m.login === "shaib" ? lapsed : m)) };
    expect(removalRule(charter, lapsed, pull([]), TEST_NOW).reason).toBe(
      "lapsed at reaffirmation (last reaffirmed 2025-01-10)",
    );
  });

  it("otherwise needs the removal rule (majority of the other full members)", () => {
    const three = ["jacobtylerwalls", "felixxm", "nessita"].map((l) => review(l, "approved"));
    const r = removalRule(base, shaib, pull(three), TEST_NOW);
    expect(r.verdict).toBe("pass");
    expect(r.reason).toBe("full-member approvals: 3 (3 required, majority of 5 full members)");
    const two = removalRule(base, shaib, pull(three.slice(1)), TEST_NOW);
    expect(two.verdict).toBe("pending");
    expect(two.missing).toEqual([
      "needs 1 more approval from a full member",
      "or @shaib approves, or the PR body cites `Steering-Council-Vote: <link>` or `Code-of-Conduct: <link>` and a full member approves",
    ]);
  });
});

describe("role and other edits", () => {
  it("pass with one approval from a full member", () => {
    expect(editRule(base, pull([review("nessita", "approved")]), TEST_NOW)).toEqual({
      verdict: "pass",
      reason: "approved by @nessita",
      missing: [],
    });
  });

  it("need a chair too when they end someone's onboarding early", () => {
    expect(editRule(base, pull([review("nessita", "approved")]), TEST_NOW, true)).toEqual({
      verdict: "pending",
      reason: "approved by @nessita; ends onboarding early: needs a chair's approval",
      missing: ["ends onboarding early: needs approval from a chair (@sarahboyce, @jacobtylerwalls)"],
    });
    expect(
      editRule(base, pull([review("sarahboyce", "approved")], { author: "shaib" }), TEST_NOW, true).verdict,
    ).toBe("pass");
  });

  it("are pending with only an onboarding member's approval", () => {
    expect(editRule(base, pull([review("newperson", "approved")]), TEST_NOW)).toEqual({
      verdict: "pending",
      reason: "no approval from a full member yet; @newperson is onboarding, not counted",
      missing: ["needs 1 more approval from a full member"],
    });
  });
});
