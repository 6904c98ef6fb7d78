import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AppServer, as, FakeGitHub, startAppServer, type WebhookEvent } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

/**
 * The `charter` check attacked the way the issue reported it: real webhooks from the in-memory
 * GitHub to the real app, pull requests from an outsider's fork, and what GitHub then shows. Each
 * attack has a positive control beside it, so a check that fails everything cannot pass.
 *
 * The example charter at NOW: full members sarahboyce (chair), jacobtylerwalls (co-chair), shaib,
 * felixxm, charettes (Zapier), nessita; newperson is onboarding. mallory is an outsider.
 */

const NOW = "2026-11-22T12:00:00Z";
const CHARTER_REPO = "django/.github";
const PATH = ".github/security-charter.yml";
const TRACKER = "django/security-reports";
const DAY = 86_400_000;

let fake: FakeGitHub;
let app: AppServer;

beforeEach(async () => {
  fake = new FakeGitHub({ now: () => new Date(NOW) });
  await fake.start();
  fake.addOrg("django", { members: ["sarahboyce", "shaib", "charettes", "mallory"] });
  fake.addTeam("django", "django-security-team");
  fake.addRepo(CHARTER_REPO);
  fake.setFile(CHARTER_REPO, PATH, EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addRepo("django/django");
  fake.addRepo("mallory/.github");
  // The embargoed report the attacker fishes for.
  fake.addIssue(TRACKER, {
    title: "GHSA-xxxx: SQL injection in QuerySet.extra()",
    body: "Reported by @reporter-login. Injection through the `where` argument.",
    author: "security-team[bot]",
    created_at: daysAgo(40),
  });
  app = await startAppServer(fake, {
    env: { SECURITY_TEAM_NOW: NOW, SWEEP_CRON: "off" },
    privateKey: TEST_PRIVATE_KEY,
  });
});

afterEach(async () => {
  await app.stop();
  await fake.stop();
  expect(fake.invalidRequests).toEqual([]);
});

function daysAgo(days: number): string {
  return new Date(Date.parse(NOW) - days * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The example charter with members inserted before `policy:`. */
function withMembers(yaml: string, text = EXAMPLE_CHARTER_TEXT): string {
  return text.replace("\npolicy:", `${yaml}\npolicy:`);
}

function member(login: string, extra = "    affiliation: Acme Corp\n    joined: 2026-12-20\n"): string {
  return `  - login: ${login}\n${extra}`;
}

/** A nomination issue in the charter repository, opened `age` days ago. */
function nomination(nominee: string, options: { age?: number; author?: string; repo?: string } = {}): number {
  return fake.addIssue(options.repo ?? CHARTER_REPO, {
    title: `Nomination: @${nominee}`,
    body: `I nominate @${nominee} to the security team.`,
    author: options.author ?? "shaib",
    created_at: daysAgo(options.age ?? 20),
  }).number;
}

/** An outsider's pull request from their fork, changing the charter to `text`. */
function forkPull(
  text: string,
  body: string,
  branch = "patch-1",
): { events: WebhookEvent[]; number: number } {
  const events = as(fake, "mallory").openPullWithFile(CHARTER_REPO, {
    branch,
    path: PATH,
    text,
    title: "Update security-charter.yml",
    body,
    fork: "mallory/.github",
  });
  return { events, number: (events[0]?.payload.number as number) ?? 0 };
}

/** A member's pull request from a branch of the charter repository. */
function memberPull(author: string, text: string, body: string, branch = "charter-change") {
  const events = as(fake, author).openPullWithFile(CHARTER_REPO, {
    branch,
    path: PATH,
    text,
    title: "Charter change",
    body,
  });
  return { events, number: (events[0]?.payload.number as number) ?? 0 };
}

function headOf(number: number): string {
  return fake.issue(CHARTER_REPO, number).pull?.headSha ?? "";
}

function charterRuns(number: number) {
  return fake.checkRuns(CHARTER_REPO, headOf(number)).filter((r) => r.name === "charter");
}

function run(number: number) {
  const runs = charterRuns(number);
  expect(runs).toHaveLength(1);
  return runs[0] as NonNullable<(typeof runs)[0]>;
}

/** The plan table's row for `login`: `| @login | change | verdict | reason |`. */
function row(number: number, login: string): string {
  return (run(number).output.summary ?? "").split("\n").find((l) => l.startsWith(`| @${login} |`)) ?? "";
}

function requestsTo(prefix: string): string[] {
  return fake.requests.filter((r) => r.path.startsWith(prefix)).map((r) => `${r.method} ${r.path}`);
}

describe("leak: a fork PR cannot learn anything about a private issue", () => {
  it("made-up nominees linking the private tracker all get the same words, and the tracker is never read", async () => {
    const nominees = ["sql", "injection", "reporter-login", "xyzzy"];
    const pull = forkPull(
      withMembers(nominees.map((n) => member(n)).join("")),
      "Nomination: https://github.com/django/security-reports/issues/1",
    );
    await app.deliver(pull.events);

    expect(run(pull.number).conclusion).toBe("failure");
    const reasons = nominees.map((n) => row(pull.number, n).split(" | ")[3]);
    expect(new Set(reasons).size).toBe(1);
    expect(reasons[0]).toContain(
      "nomination django/security-reports#1 is not in an allowed nomination repository",
    );
    expect(requestsTo("/repos/django/security-reports")).toEqual([]);
  });

  it("a link to an existing and to a missing private issue produce the same check", async () => {
    const outputs: string[] = [];
    for (const [i, issue] of [1, 999].entries()) {
      const pull = forkPull(
        withMembers(member("sql")),
        `Nomination: https://github.com/django/security-reports/issues/${issue}`,
        `probe-${i}`,
      );
      await app.deliver(pull.events);
      outputs.push((run(pull.number).output.summary ?? "").replace(/#1\b|#999\b/g, "#N"));
    }
    expect(outputs[0]).toBe(outputs[1]);
  });

  it("a private repository listed in policy.nomination.repos counts for nothing, whether or not the issue exists", async () => {
    const listed = EXAMPLE_CHARTER_TEXT.replace(
      "    repos: []",
      "    repos: [django/security-reports, django/django]",
    );
    fake.setFile(CHARTER_REPO, PATH, listed);
    const outputs: string[] = [];
    for (const [i, issue] of [1, 999].entries()) {
      const pull = forkPull(
        withMembers(member("sql"), listed),
        `Nomination: https://github.com/django/security-reports/issues/${issue}`,
        `probe-${i}`,
      );
      await app.deliver(pull.events);
      outputs.push((run(pull.number).output.summary ?? "").replace(/#1\b|#999\b/g, "#N"));
    }
    expect(outputs[0]).toBe(outputs[1]);
    expect(outputs[0]).toContain(
      "nomination django/security-reports#N is not in an allowed nomination repository",
    );
    // Only the repository's visibility was asked, never an issue.
    expect(requestsTo("/repos/django/security-reports/")).toEqual([]);

    // Positive control: a public listed repository's nomination counts.
    const issue = nomination("alice", { repo: "django/django" });
    const pull = memberPull(
      "sarahboyce",
      withMembers(member("alice"), listed),
      `Nomination: https://github.com/django/django/issues/${issue}`,
    );
    await app.deliver(pull.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number).conclusion).toBe("success");
    expect(row(pull.number, "alice")).toContain(`nomination django/django#${issue} is 20 days old`);
  });

  it("positive control: a real nomination in the charter repository passes with a full member's approval", async () => {
    const issue = nomination("alice");
    const pull = memberPull("sarahboyce", withMembers(member("alice")), `Nomination: #${issue}`);
    await app.deliver(pull.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number)).toMatchObject({
      conclusion: "success",
      output: { title: "1 change: all meet the charter's rules" },
    });
  });
});

describe("shared head commit and stale base", () => {
  it("a second PR with the same head into an old branch cannot turn the failing run neutral", async () => {
    const repo = fake.repo(CHARTER_REPO);
    const [firstCommit] = repo.commits.keys();
    repo.branches.set("stable/1.0", firstCommit as string); // an old branch without a charter
    const chair = member(
      "mallory",
      "    affiliation: Mallory Ltd\n    roles: [chair]\n    joined: 2026-12-20\n",
    );
    const b = forkPull(withMembers(chair), "Please add me.");
    await app.deliver(b.events);
    expect(run(b.number).conclusion).toBe("failure");

    const c = as(fake, "mallory").openPullFromBranch(CHARTER_REPO, {
      branch: "patch-1",
      base: "stable/1.0",
      title: "Backport",
      fork: "mallory/.github",
    });
    await app.deliver(c);
    // PR C gets no verdict of its own; the run on the shared head still fails.
    expect(run(b.number).conclusion).toBe("failure");

    // Judged again (a redelivery, a review...), PR B names both pull requests.
    await app.deliver(b.events);
    const cNumber = (c[0]?.payload.number as number) ?? 0;
    expect(run(b.number)).toMatchObject({
      conclusion: "failure",
      output: { title: "This commit is the head of several pull requests" },
    });
    expect(run(b.number).output.summary).toContain(`Close one of #${b.number}, #${cNumber}`);
  });

  it("closing the duplicate re-judges the pull request left at that head (an outsider cannot keep it failed)", async () => {
    const issue = nomination("alice");
    const b = memberPull("sarahboyce", withMembers(member("alice")), `Nomination: #${issue}`);
    await app.deliver(b.events);
    await app.deliver(as(fake, "felixxm").review(CHARTER_REPO, b.number, "APPROVED"));
    expect(run(b.number).conclusion).toBe("success");
    // An outsider opens a second pull request at the same head: B now fails with that reason.
    const c = as(fake, "mallory").openPullFromBranch(CHARTER_REPO, {
      branch: "charter-change",
      base: "main",
      title: "Same head",
    });
    await app.deliver(c);
    expect(run(b.number).output.title).toBe("This commit is the head of several pull requests");
    // Closing the duplicate gives B its own verdict back, with no re-run needed.
    const cNumber = (c[0]?.payload.number as number) ?? 0;
    await app.deliver(as(fake, "mallory").closePull(CHARTER_REPO, cNumber));
    expect(run(b.number).conclusion).toBe("success");
  });

  it("a pull request into another branch gets no charter verdict", async () => {
    const repo = fake.repo(CHARTER_REPO);
    repo.branches.set("stable/1.0", repo.branches.get("main") as string);
    const events = as(fake, "sarahboyce").openPullWithFile(CHARTER_REPO, {
      branch: "old-change",
      path: PATH,
      text: withMembers(member("alice")),
      title: "Old branch change",
      base: "stable/1.0",
    });
    await app.deliver(events);
    expect(fake.checkRuns(CHARTER_REPO)).toEqual([]);
  });

  it("judges by the default branch's tip, not by the payload's stale base sha", async () => {
    const issue = nomination("alice", { author: "nessita" });
    const pull = memberPull("sarahboyce", withMembers(member("alice")), `Nomination: #${issue}`);
    await app.deliver(pull.events);
    const staleBase = fake.repo(CHARTER_REPO).branches.get("main") as string;
    // Meanwhile shaib is removed from the team on the default branch.
    fake.setFile(
      CHARTER_REPO,
      PATH,
      EXAMPLE_CHARTER_TEXT.replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, ""),
    );
    const [review] = as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED");
    const stale = review as WebhookEvent;
    (stale.payload.pull_request as { base: { sha: string } }).base.sha = staleBase;
    await app.deliver([stale]);
    expect(run(pull.number).conclusion).toBe("failure");
    expect(row(pull.number, "alice")).toContain("full-member approvals: 0");

    // Positive control: a current member's approval counts. (Merging would also bring shaib back,
    // since the head predates his removal: the plan shows that too, and it needs its own nomination.)
    await app.deliver(as(fake, "felixxm").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(row(pull.number, "alice")).toContain("| ✅ pass | nomination");
    expect(row(pull.number, "shaib")).toContain(
      "| added (Platonix, roles: triager), joins as a full member | ❌ fail |",
    );
  });
});

describe("time bomb and invalid default branch", () => {
  const expired = member("bob", "    affiliation: Bobco\n    joined: 2026-01-01\n    onboarding: true\n");

  it("an expired `onboarding: true` on the default branch is a warning: an outsider's chair PR still fails", async () => {
    fake.setFile(CHARTER_REPO, PATH, withMembers(expired));
    const chair = member(
      "mallory",
      "    affiliation: Mallory Ltd\n    roles: [chair]\n    joined: 2026-12-20\n",
    );
    const pull = forkPull(withMembers(chair), "Fixes bob's onboarding line.");
    await app.deliver(pull.events);
    expect(run(pull.number).conclusion).toBe("failure");
    expect(row(pull.number, "mallory")).toContain("no nomination linked");
  });

  it("positive control: a PR that only removes the stale line passes with a full member's approval, and the warning is shown until then", async () => {
    fake.setFile(CHARTER_REPO, PATH, withMembers(expired));
    const stillStale = memberPull(
      "sarahboyce",
      withMembers(expired.replace("Bobco", "Bob Co")),
      "Affiliation typo",
      "typo",
    );
    await app.deliver(stillStale.events);
    expect(run(stillStale.number).output.summary).toContain(
      "### Warnings (not blocking)\n\n- line 49, column 5: members.7.onboarding: bob's onboarding ended on 2026-03-01",
    );
    const fix = memberPull(
      "sarahboyce",
      withMembers(expired.replace("    onboarding: true\n", "")),
      "",
      "fix",
    );
    await app.deliver(fix.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, fix.number, "APPROVED"));
    expect(run(fix.number).conclusion).toBe("success");
  });

  it("an invalid charter on the default branch: a fix that also adds a chair is judged by the last valid charter", async () => {
    fake.setFile(
      CHARTER_REPO,
      PATH,
      EXAMPLE_CHARTER_TEXT.replace(
        "    roles: [triager]\n    joined: 2019",
        "    rolse: [triager]\n    joined: 2019",
      ),
    );
    const chair = member(
      "mallory",
      "    affiliation: Mallory Ltd\n    roles: [chair]\n    joined: 2026-12-20\n",
    );
    const pull = forkPull(withMembers(chair), "Fix the typo");
    await app.deliver(pull.events);
    expect(run(pull.number)).toMatchObject({ conclusion: "failure" });
    expect(run(pull.number).output.summary).toContain(
      "The charter on the default branch is invalid; this pull request makes it valid again",
    );
    expect(row(pull.number, "mallory")).toContain("no nomination linked");

    // A PR that leaves it invalid fails too.
    const still = memberPull("sarahboyce", `${fake.file(CHARTER_REPO, PATH)}\n# touch\n`, "", "still");
    await app.deliver(still.events);
    expect(run(still.number)).toMatchObject({
      conclusion: "failure",
      output: { title: "The charter is invalid (1 problems)" },
    });

    // Positive control: the plain fix passes with one full member's approval.
    const fix = memberPull("sarahboyce", EXAMPLE_CHARTER_TEXT, "Fix the typo", "fix");
    await app.deliver(fix.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, fix.number, "APPROVED"));
    expect(run(fix.number).conclusion).toBe("success");
  });
});

describe("any old issue is not a nomination", () => {
  it("refuses an old closed issue opened by the nominee, a pull request, and an issue closed as not planned", async () => {
    const own = fake.addIssue(CHARTER_REPO, {
      title: "Typo in the docs",
      body: "Fixed by me, @alice, long ago.",
      author: "alice",
      state: "closed",
      state_reason: "completed",
      created_at: daysAgo(7 * 365),
    }).number;
    const pr = fake.addIssue(CHARTER_REPO, {
      title: "Nominate @bobby",
      author: "shaib",
      created_at: daysAgo(100),
      pull: { head: "x", base: "main", headSha: "0".repeat(40), merged: false, files: {}, reviews: [] },
    }).number;
    const rejected = fake.addIssue(CHARTER_REPO, {
      title: "Nomination: @carol",
      author: "shaib",
      state: "closed",
      state_reason: "not_planned",
      created_at: daysAgo(100),
    }).number;
    const pull = forkPull(
      withMembers(member("alice") + member("bobby") + member("carol")),
      [own, pr, rejected].map((n) => `Nomination: https://github.com/django/.github/issues/${n}`).join("\n"),
    );
    await app.deliver(pull.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number).conclusion).toBe("failure");
    expect(row(pull.number, "alice")).toContain(`nomination #${own} was opened by the nominee`);
    expect(row(pull.number, "bobby")).toContain(`nomination #${pr} is a pull request, not an issue`);
    expect(row(pull.number, "carol")).toContain(`nomination #${rejected} was closed as not planned`);
    for (const login of ["alice", "bobby", "carol"]) expect(row(pull.number, login)).toContain("❌ fail");
  });

  it("refuses an issue opened by someone outside the team; positive control: a closed-as-completed nomination counts", async () => {
    const byOutsider = nomination("alice", { author: "mallory" });
    const completed = fake.addIssue(CHARTER_REPO, {
      title: "Nomination: @bobby",
      author: "felixxm",
      state: "closed",
      state_reason: "completed",
      created_at: daysAgo(30),
    }).number;
    const pull = memberPull(
      "sarahboyce",
      withMembers(member("alice") + member("bobby")),
      `Nomination: #${byOutsider}\nNomination: #${completed}`,
    );
    await app.deliver(pull.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(row(pull.number, "alice")).toContain(
      `nomination #${byOutsider} was opened by @mallory, who is not a team member`,
    );
    expect(row(pull.number, "bobby")).toContain(`| ✅ pass | nomination #${completed} is 30 days old`);
  });
});

describe("conflict of interest by spelling", () => {
  for (const spelling of ["Zapier Inc.", "Zapier ", "Zapier\u00a0", "ZAPIER, LLC"]) {
    it(`a Zapier reviewer's approval of a nominee from ${JSON.stringify(spelling)} does not count`, async () => {
      const issue = nomination("alice");
      const pull = forkPull(
        withMembers(member("alice", `    affiliation: "${spelling}"\n    joined: 2026-12-20\n`)),
        `Nomination: #${issue}`,
      );
      await app.deliver(pull.events);
      await app.deliver(as(fake, "charettes").review(CHARTER_REPO, pull.number, "APPROVED"));
      expect(run(pull.number).conclusion).toBe("failure");
      expect(row(pull.number, "alice")).toContain("@charettes shares the affiliation");
    });
  }

  it("the reviewer's affiliation comes from the base charter, not from the PR", async () => {
    const issue = nomination("alice");
    const moved = EXAMPLE_CHARTER_TEXT.replace(
      "    affiliation: Zapier\n",
      "    affiliation: Independent Consulting\n",
    );
    const pull = forkPull(
      withMembers(member("alice", "    affiliation: Zapier\n    joined: 2026-12-20\n"), moved),
      `Nomination: #${issue}`,
    );
    await app.deliver(pull.events);
    await app.deliver(as(fake, "charettes").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(row(pull.number, "alice")).toContain("@charettes shares the affiliation");
  });

  it("a nominee without an affiliation cannot be added", async () => {
    const issue = nomination("alice");
    const pull = forkPull(withMembers(member("alice", "    joined: 2026-12-20\n")), `Nomination: #${issue}`);
    await app.deliver(pull.events);
    await app.deliver(as(fake, "charettes").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number).conclusion).toBe("failure");
    expect(row(pull.number, "alice")).toContain("❌ fail | no affiliation; nomination");
    expect(run(pull.number).output.summary).toContain(
      "- @alice: add `affiliation:` for the nominee: the conflict-of-interest rule compares it",
    );
  });

  it("positive control: a reviewer from another organisation counts", async () => {
    const issue = nomination("alice");
    const pull = forkPull(
      withMembers(member("alice", "    affiliation: Zapier Inc.\n    joined: 2026-12-20\n")),
      `Nomination: #${issue}`,
    );
    await app.deliver(pull.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number).conclusion).toBe("success");
  });
});

describe("conflict of interest by lookalike letters", () => {
  // charettes's affiliation in the base charter is "Zapier"; each spelling looks like it.
  for (const [spelling, how] of [
    ["Zаpier", "a Cyrillic а"],
    ["ΖΑΡΙΕR", "Greek Ζ Α Ρ Ι Ε"],
    ["Zаріеr Inc.", "Cyrillic а р і е and a suffix"],
    ["ZAPlER", "a small l for the I"],
    ["𝐙𝐚𝐩𝐢𝐞𝐫", "mathematical bold letters"],
    ["Zapier\u3164", "an invisible Hangul filler after it (a letter, not a format character)"],
    ["Zap\u115Fier", "an invisible Hangul choseong filler inside"],
  ] as const) {
    it(`a Zapier reviewer's approval of a nominee from ${JSON.stringify(spelling)} (${how}) does not count`, async () => {
      const issue = nomination("alice");
      const pull = forkPull(
        withMembers(member("alice", `    affiliation: "${spelling}"\n    joined: 2026-12-20\n`)),
        `Nomination: #${issue}`,
      );
      await app.deliver(pull.events);
      await app.deliver(as(fake, "charettes").review(CHARTER_REPO, pull.number, "APPROVED"));
      expect(run(pull.number).conclusion).toBe("failure");
      expect(row(pull.number, "alice")).toContain(`@charettes shares the affiliation "${spelling}"`);
    });
  }

  it("positive control: a Zapier reviewer's approval of a nominee from Zapper, a different company, counts", async () => {
    const issue = nomination("alice");
    const pull = forkPull(
      withMembers(member("alice", "    affiliation: Zapper\n    joined: 2026-12-20\n")),
      `Nomination: #${issue}`,
    );
    await app.deliver(pull.events);
    await app.deliver(as(fake, "charettes").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number).conclusion).toBe("success");
  });
});

describe("removal by citation needs a person", () => {
  const withoutJacob = EXAMPLE_CHARTER_TEXT.replace(
    / {2}- login: jacobtylerwalls\n( {4}.*\n)+?(?= {2}- login)/,
    "",
  );

  it("`Code-of-Conduct: <any URL>` alone does not remove a co-chair", async () => {
    const pull = forkPull(withoutJacob, "Code-of-Conduct: https://example.com/x");
    await app.deliver(pull.events);
    expect(run(pull.number).conclusion).toBe("failure");
    expect(row(pull.number, "jacobtylerwalls")).toContain(
      "cites Code-of-Conduct: `https://example.com/x`, not yet vouched for",
    );
  });

  it("with policy.removal.citations set, a link outside the prefixes does not count even with an approval", async () => {
    const policy = (text: string) =>
      text.replace("    citations: []", '    citations: ["https://github.com/django/conduct/issues/"]');
    fake.setFile(CHARTER_REPO, PATH, policy(EXAMPLE_CHARTER_TEXT));
    const pull = forkPull(policy(withoutJacob), "Code-of-Conduct: https://example.com/x");
    await app.deliver(pull.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(run(pull.number).conclusion).toBe("failure");
    expect(row(pull.number, "jacobtylerwalls")).toContain("not under `policy.removal.citations`");

    // Positive control: a link under the prefix, vouched for by a full member, passes.
    const ok = memberPull(
      "sarahboyce",
      policy(withoutJacob),
      "Code-of-Conduct: https://github.com/django/conduct/issues/4",
      "coc",
    );
    await app.deliver(ok.events);
    await app.deliver(as(fake, "shaib").review(CHARTER_REPO, ok.number, "APPROVED"));
    expect(run(ok.number).conclusion).toBe("success");
    expect(row(ok.number, "jacobtylerwalls")).toContain("vouched for by @shaib");
  });
});

describe("skipping onboarding is visible and needs a chair", () => {
  for (const [label, extra] of [
    ["onboarding: false", "    affiliation: Acme Corp\n    joined: 2026-12-20\n    onboarding: false\n"],
    ["a backdated joined", "    affiliation: Acme Corp\n    joined: 2025-01-01\n"],
  ] as const) {
    it(`${label}: shown as joining as a full member; a non-chair's approval is not enough, a chair's is`, async () => {
      const issue = nomination("alice");
      const pull = memberPull("shaib", withMembers(member("alice", extra)), `Nomination: #${issue}`);
      await app.deliver(pull.events);
      await app.deliver(as(fake, "felixxm").review(CHARTER_REPO, pull.number, "APPROVED"));
      expect(row(pull.number, "alice")).toContain(
        "| added (Acme Corp), joins as a full member | ⏳ pending |",
      );
      expect(run(pull.number).output.summary).toContain(
        "- @alice: joins as a full member: needs approval from a chair (@sarahboyce, @jacobtylerwalls)",
      );
      await app.deliver(as(fake, "sarahboyce").review(CHARTER_REPO, pull.number, "APPROVED"));
      expect(run(pull.number).conclusion).toBe("success");
    });
  }

  it("positive control: a new member who onboards as usual needs no chair", async () => {
    const issue = nomination("alice");
    const pull = memberPull("shaib", withMembers(member("alice")), `Nomination: #${issue}`);
    await app.deliver(pull.events);
    await app.deliver(as(fake, "felixxm").review(CHARTER_REPO, pull.number, "APPROVED"));
    expect(row(pull.number, "alice")).toContain("| added (Acme Corp) | ✅ pass |");
  });
});

describe("a nomination transferred into the private tracker", () => {
  it("is not followed: the public check gives the words of a missing issue, and reads nothing of it", async () => {
    // A public issue the team moved into the private tracker (say, a vulnerability filed in public):
    // GitHub redirects its old URL there, and the app can read the tracker.
    const filed = fake.addIssue(CHARTER_REPO, { title: "XSS in admin, cc @alice", author: "reporter-eve" });
    fake.transferIssue(CHARTER_REPO, filed.number, TRACKER);
    const pull = forkPull(withMembers(member("alice")), `Nomination: #${filed.number}`);
    await app.deliver(pull.events);
    expect(row(pull.number, "alice")).toContain(`nomination #${filed.number} was not found`);
    expect(run(pull.number).output.summary).not.toContain("reporter-eve");
    expect(run(pull.number).conclusion).toBe("failure");
  });

  it("positive control: a nomination in the charter repository is read", async () => {
    const issue = nomination("alice");
    const pull = forkPull(withMembers(member("alice")), `Nomination: #${issue}`);
    await app.deliver(pull.events);
    expect(row(pull.number, "alice")).not.toContain("was not found");
    expect(row(pull.number, "alice")).toContain(`#${issue}`);
  });
});

describe("bad input gets the same neutral words and a failing verdict; nothing crashes", () => {
  it("a malformed link, a missing repository, a missing issue and a forbidden issue", async () => {
    fake.denyPermission("GET", /^\/repos\/django\/\.github\/issues\/77$/, "issues=read");
    const cases: Record<string, [string, string]> = {
      malformed: ["Nomination: https://evil.example/issues/1", "is not an issue link"],
      noRepo: [
        "Nomination: https://github.com/django/nope/issues/1",
        "is not in an allowed nomination repository",
      ],
      missing: ["Nomination: #404", "nomination #404 was not found"],
      forbidden: ["Nomination: #77", "nomination #77 was not found"],
    };
    for (const [branch, [body, words]] of Object.entries(cases)) {
      const pull = forkPull(withMembers(member("alice")), body, branch);
      const [delivery] = await app.deliver(pull.events);
      expect(delivery?.status).toBe(200);
      expect(run(pull.number).conclusion).toBe("failure");
      expect(row(pull.number, "alice")).toContain(words);
      expect(row(pull.number, "alice")).toContain("❌ fail");
    }
  });
});

describe("people's text in the check", () => {
  it("an HTML comment opener in an affiliation or a link cannot hide the rest of the check", async () => {
    const pull = forkPull(
      withMembers(member("alice", '    affiliation: "Acme <!-- hidden"\n    joined: 2026-12-20\n')),
      "Nomination: <!--",
    );
    await app.deliver(pull.events);
    const summary = run(pull.number).output.summary ?? "";
    expect(summary).not.toContain("<!--");
    expect(row(pull.number, "alice")).toBe(
      "| @alice | added (Acme <\u200d!-- hidden) | ❌ fail | nomination <\u200d!-- is not an issue link; write `Nomination: #123` or `Nomination: https://github.com/<org>/<repo>/issues/123`; full-member approvals: 0 (1 required, consent) |",
    );
    expect(summary).toContain("### Still missing");
  });
});

describe("cost", () => {
  it("a fork PR with 3,000 files that does not touch the charter passes without listing its files", async () => {
    const files = Array.from({ length: 3000 }, (_, i) => `docs/page-${i}.md`);
    const events = as(fake, "mallory").openPullWithFile(CHARTER_REPO, {
      branch: "docs",
      path: "docs/index.md",
      text: "hello",
      title: "Docs",
      fork: "mallory/.github",
      files,
    });
    fake.requests.splice(0);
    await app.deliver(events);
    const head = (events[0]?.payload as { pull_request: { head: { sha: string } } }).pull_request.head.sha;
    const calls = fake.requests.filter((r) => !/access_tokens$/.test(r.path) && r.path !== "/app");
    // One query to know it leaves the charter alone, the existing run and the PRs at its head, one run.
    expect(calls.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      `GET /repos/${CHARTER_REPO}/commits/${head}/check-runs?check_name=charter&per_page=100`,
      `GET /repos/${CHARTER_REPO}/pulls?state=open&per_page=100`,
      "POST /graphql",
      `POST /repos/${CHARTER_REPO}/check-runs`,
    ]);
    expect(fake.checkRuns(CHARTER_REPO).map((r) => [r.conclusion, r.output.title])).toEqual([
      ["success", "No change to the charter"],
    ]);
  });

  it("positive control: a 3,000-file PR that also changes the charter gets its check without listing files", async () => {
    const files = Array.from({ length: 3000 }, (_, i) => `docs/page-${i}.md`);
    const events = as(fake, "mallory").openPullWithFile(CHARTER_REPO, {
      branch: "docs",
      path: PATH,
      text: withMembers(member("alice")),
      title: "Docs and me",
      fork: "mallory/.github",
      files,
    });
    await app.deliver(events);
    expect(fake.checkRuns(CHARTER_REPO)).toHaveLength(1);
    expect(requestsTo("/repos/django/.github/pulls/").filter((r) => r.includes("/files"))).toEqual([]);
  });
});
