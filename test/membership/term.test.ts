import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCharter } from "../../src/charter/loader.js";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { main } from "../../src/cli/main.js";
import { removalRule } from "../../src/governance/rules.js";
import type { WebhookEvent } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { example } from "../helpers/payloads.js";
import { CHARTER_REPO, createWorld, TEAM, type World } from "../reliability/world.js";

/** `until: YYYY-MM-DD`: a fixed term. On that day the sweep opens one charter PR removing them. */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

/** The example charter with `until` for shaib (line 24) and, optionally, for felixxm. */
function withTerm(shaib: string, felixxm?: string): string {
  let text = EXAMPLE_CHARTER_TEXT.replace(
    "    joined: 2019-01-15\n",
    `    joined: 2019-01-15\n    until: ${shaib}\n`,
  );
  if (felixxm)
    text = text.replace("    joined: 2020-03-02\n", `    joined: 2020-03-02\n    until: ${felixxm}\n`);
  return text;
}

const appPulls = (w: World) => [...w.fake.repo(CHARTER_REPO).issues.values()].filter((i) => i.pull);
const termPull = (w: World) => {
  const pull = appPulls(w).find((i) => i.pull?.head === "security-team/term-end-2026-12-10");
  if (!pull) throw new Error("no term-end pull request");
  return pull;
};

/** The `pull_request.opened` webhook GitHub sends for a pull request the app opened. */
function openedEvent(w: World, number: number): WebhookEvent {
  const repo = w.fake.repo(CHARTER_REPO);
  const org = w.fake.org("django");
  return {
    name: "pull_request",
    payload: {
      ...example("pull_request", "opened"),
      action: "opened",
      number,
      pull_request: w.fake.pullJson(repo, w.fake.issue(CHARTER_REPO, number)),
      repository: w.fake.repoJson(repo),
      organization: {
        ...(example("membership", "added").organization as object),
        login: "django",
        id: org.id,
      },
      installation: { id: org.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
      sender: w.fake.userJson(w.fake.botLogin),
    },
  };
}

describe("until: the loader", () => {
  it("rejects `until` earlier than `joined`, with its line and column", () => {
    const result = loadCharter(withTerm("2018-12-31"), { file: "charter.yml", now: new Date("2026-11-22") });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "charter.yml",
          line: 24,
          col: 12,
          message:
            "members.2.until: 2018-12-31 is earlier than joined (2019-01-15); a term cannot end before it starts",
        },
      ],
    });
  });

  it("accepts a past `until` whatever the clock says: validate warns, and exits 0", async () => {
    const text = withTerm("2026-11-01");
    for (const now of ["2026-10-01", "2030-01-01"]) {
      expect(loadCharter(text, { file: "c.yml", now: new Date(now) }).ok).toBe(true);
    }
    const file = join(tmpdir(), "term-charter.yml");
    writeFileSync(file, text);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["validate", file], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { SECURITY_TEAM_NOW: "2026-11-22T00:00:00Z" },
    });
    expect(code).toBe(0);
    expect(err).toEqual([
      `${file}:24:12: members.2.until: @shaib's term ended on 2026-11-01 but they are still listed; merge the term-end pull request the sweep opens, or extend \`until\` (warning)`,
    ]);
    expect(out).toEqual([`${file}: valid (7 members, team django/django-security-team)`]);
  });
});

describe("until: the removal rule", () => {
  it("passes a removal as a term end from the day `until` names in the base charter, not before", () => {
    const loaded = loadCharter(withTerm("2026-12-10"), { file: "c.yml", now: new Date("2026-11-22") });
    if (!loaded.ok) throw new Error("invalid");
    const shaib = loaded.charter.members.find((m) => m.login === "shaib");
    if (!shaib) throw new Error("no shaib");
    const pull = { author: "security-team[bot]", body: "", reviews: [], openedAt: new Date("2026-12-01") };
    expect(removalRule(loaded.charter, shaib, pull, new Date("2026-12-10T00:00:00Z"))).toEqual({
      verdict: "pass",
      reason: "term ended on 2026-12-10",
      missing: [],
    });
    expect(removalRule(loaded.charter, shaib, pull, new Date("2026-12-09T23:59:59Z")).verdict).toBe(
      "pending",
    );
  });
});

describe("until: the sweep", () => {
  it("opens nothing before the day, and shows the term end in the plan from 30 days before", async () => {
    world = await createWorld({ charterText: withTerm("2026-12-10", "2027-03-01") });
    const w = world;
    const summary = await w.sweep();
    expect(summary.terms).toEqual([]);
    expect(appPulls(w)).toEqual([]);
    expect(summary.team?.summary).toBe(
      [
        "`django/django-security-team` already matches the charter (7 members, 0 pending invitations). Nothing to do.",
        "",
        "Term ends in the next 30 days (the sweep opens a charter pull request on the day):",
        "",
        "- @shaib on 2026-12-10",
      ].join("\n"),
    );
  });

  it("opens one pull request on the day, however many sweeps run; the check passes it as a term end", async () => {
    world = await createWorld({ charterText: withTerm("2026-12-10") });
    const w = world;
    w.at("2026-12-10T06:00:00Z");
    const first = await w.sweep();
    const pull = termPull(w);
    expect(first.terms).toEqual([`term end 2026-12-10: opened #${pull.number} removing @shaib`]);
    expect(pull.title).toBe("Term ended on 2026-12-10: remove @shaib");
    expect(pull.body).toContain("cc @shaib @sarahboyce @jacobtylerwalls");
    const edited = pull.pull?.files[DEFAULT_CHARTER_PATH] ?? "";
    expect(edited).toBe(
      withTerm("2026-12-10").replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, ""),
    );

    // A term-end PR already open: later sweeps (the same day and after) open no other.
    w.at("2026-12-10T18:00:00Z");
    expect((await w.sweep()).terms).toEqual([]);
    w.at("2026-12-12T06:00:00Z");
    expect((await w.sweep()).terms).toEqual([]);
    expect(appPulls(w)).toHaveLength(1);

    // The `charter` check judges it: a term end, passed without any review.
    await w.deliver([openedEvent(w, pull.number)]);
    const run = w.fake.checkRuns(CHARTER_REPO, pull.pull?.headSha).at(-1);
    expect(run?.conclusion).toBe("success");
    expect(run?.output.summary).toContain("| @shaib | removed | ✅ pass | term ended on 2026-12-10 |");

    // Merged: the push removes shaib from the team.
    await w.deliver(w.person("sarahboyce").merge(CHARTER_REPO, pull.number));
    expect(w.fake.teamMembers("django", TEAM).map((m) => m.login)).not.toContain("shaib");
  });

  describe("a branch of its name already there", () => {
    const BRANCH = "security-team/term-end-2026-12-10";
    const REFUSED = `term end 2026-12-10: could not open the pull request (a branch ${BRANCH} already exists that the app did not create: delete or rename it)`;
    /** What the app sent about the branch, and every write it made to the charter repository. */
    const branchCalls = (w: World) =>
      w.fake.requests
        .filter(
          (r) =>
            r.path.startsWith(`/repos/${CHARTER_REPO}/`) &&
            (r.method !== "GET" || /\/(git\/ref|compare)\//.test(r.path)),
        )
        .map((r) => `${r.method} ${decodeURIComponent(r.path)} ${r.status}`);
    /** A member's charter with felixxm as chair: what someone might slip into the app's pull request. */
    const felixxmChair = withTerm("2026-12-10").replace(
      "affiliation: Independent\n    roles: [triager]",
      "affiliation: Independent\n    roles: [co-chair, triager]",
    );

    for (const [who, as] of [
      ["felixxm pushed", undefined],
      ["felixxm pushed with the app's e-mail (GitHub shows the bot's login, unsigned)", "security-team[bot]"],
    ] as const) {
      it(`${who}: the sweep commits nothing, opens nothing, and says which branch to delete`, async () => {
        world = await createWorld({ charterText: withTerm("2026-12-10") });
        const w = world;
        await w.deliver(
          w.person("felixxm").pushFile(CHARTER_REPO, {
            branch: BRANCH,
            path: DEFAULT_CHARTER_PATH,
            text: felixxmChair,
            ...(as ? { as } : {}),
          }),
        );
        const repo = w.fake.repo(CHARTER_REPO);
        const pushed = repo.branches.get(BRANCH);
        const main = repo.branches.get("main");
        w.at("2026-12-10T06:00:00Z");
        expect((await w.sweep()).terms).toEqual([REFUSED]);
        expect(appPulls(w)).toEqual([]);
        expect(repo.branches.get(BRANCH)).toBe(pushed);
        expect(branchCalls(w)).toEqual([
          "GET /repos/django/.github/git/ref/heads/main 200",
          "POST /repos/django/.github/git/refs 422",
          `GET /repos/django/.github/git/ref/heads/${BRANCH} 200`,
          `GET /repos/django/.github/compare/${main}...${pushed} 200`,
        ]);

        // Deleted, as the line says: the next sweep opens the pull request from a branch of its own.
        repo.branches.delete(BRANCH);
        w.at("2026-12-11T06:00:00Z");
        const { terms } = await w.sweep();
        expect(terms).toEqual([`term end 2026-12-10: opened #${termPull(w).number} removing @shaib`]);
        expect(termPull(w).pull?.files[DEFAULT_CHARTER_PATH]).toBe(
          withTerm("2026-12-10").replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, ""),
        );
      });
    }

    for (const [interrupted, method, route, permission] of [
      ["after creating the branch (its tip is main's)", "PUT", /\/contents\//, "contents=write"],
      [
        "after its commit (the tip is the app's, signed by GitHub)",
        "POST",
        /\/pulls$/,
        "pull_requests=write",
      ],
    ] as const) {
      it(`positive control: a sweep interrupted ${interrupted} is finished on that branch`, async () => {
        world = await createWorld({ charterText: withTerm("2026-12-10") });
        const w = world;
        const grant = w.fake.denyPermission(method, route, permission);
        w.at("2026-12-10T06:00:00Z");
        expect((await w.sweep()).terms).toEqual([
          "term end 2026-12-10: could not open the pull request (Resource not accessible by integration - https://docs.github.com/rest)",
        ]);
        expect(w.fake.repo(CHARTER_REPO).branches.has(BRANCH)).toBe(true);
        grant();
        // The default branch moved on meanwhile: the app's branch is still its own.
        w.fake.setFile(CHARTER_REPO, "README.md", "moved on");
        w.at("2026-12-10T18:00:00Z");
        const { terms } = await w.sweep();
        expect(terms).toEqual([`term end 2026-12-10: opened #${termPull(w).number} removing @shaib`]);
        expect(appPulls(w)).toHaveLength(1);
        expect(termPull(w).pull?.files[DEFAULT_CHARTER_PATH]).toBe(
          withTerm("2026-12-10").replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, ""),
        );
      });
    }
  });

  it("opens no second pull request when the first was closed without merging (the warning stays)", async () => {
    world = await createWorld({ charterText: withTerm("2026-12-10") });
    const w = world;
    w.at("2026-12-10T06:00:00Z");
    await w.sweep();
    await w.deliver(w.person("sarahboyce").closePull(CHARTER_REPO, termPull(w).number));
    w.at("2026-12-11T06:00:00Z");
    expect((await w.sweep()).terms).toEqual([]);
    expect(appPulls(w)).toHaveLength(1);
  });

  it("the check warns (without changing its verdict) on a charter PR that still lists a member whose term ended", async () => {
    world = await createWorld({ charterText: withTerm("2026-11-01") });
    const w = world;
    const text = withTerm("2026-11-01").replace("escalate_after_days: 30", "escalate_after_days: 31");
    await w.deliver(
      w.person("felixxm").openPullWithFile(CHARTER_REPO, {
        branch: "escalate",
        path: DEFAULT_CHARTER_PATH,
        text,
        title: "Escalate a day later",
      }),
    );
    await w.deliver(w.person("sarahboyce").review(CHARTER_REPO, 1, "APPROVED"));
    const run = w.fake.checkRuns(CHARTER_REPO).at(-1);
    expect(run?.conclusion).toBe("success");
    expect(run?.output.summary).toContain(
      "### Warnings (not blocking)\n\n- line 24, column 12: members.2.until: @shaib's term ended on 2026-11-01 but they are still listed",
    );
  });

  it("does not pass the removal as a term end before the day (positive control)", async () => {
    world = await createWorld({ charterText: withTerm("2026-12-10") });
    const w = world;
    const text = withTerm("2026-12-10").replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, "");
    const events = w.person("felixxm").openPullWithFile(CHARTER_REPO, {
      branch: "early",
      path: DEFAULT_CHARTER_PATH,
      text,
      title: "Remove shaib early",
    });
    await w.deliver(events);
    const run = w.fake.checkRuns(CHARTER_REPO).at(-1);
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).not.toContain("term ended");
  });
});
