import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Action } from "../../src/core/actions.js";
import { createDisclosureGuard, learnGraphQL } from "../../src/core/disclosure.js";
import { createDryRunExecutor } from "../../src/core/executor.js";
import { pollAdvisories } from "../../src/reports/poll.js";
import { readIssueWithCharter } from "../../src/reports/read.js";
import { openReportPages } from "../../src/sweep/read.js";
import { CHARTER_REPO, createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";

/**
 * Guarantee 1 at the executor: a write that carries report data the run has learnt (tracked GHSA ids,
 * advisory summaries, reporters' logins, figures per member) reaches only a repository known to be
 * private. Tried the way a bug or a hostile planner would: actions handed to the real runtime after it
 * read the org's advisories, against the in-memory GitHub.
 */

const SUMMARY = "Quokka deserialisation gadget in the session cookie signer";

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const [owner, repo] = CHARTER_REPO.split("/") as [string, string];
const charterRepo = { owner, repo };
const [trackerOwner, trackerName] = TRACKER.split("/") as [string, string];
const tracker = { owner: trackerOwner, repo: trackerName };
const project = { owner: "django", repo: "django" };

const openIssue = (target: { owner: string; repo: string }, body: string): Action => ({
  kind: "issue.create",
  repo: target,
  title: "Status",
  body,
  labels: [],
  assignees: [],
  why: "test",
});

describe("the write guard (attacker-style, on the in-memory GitHub)", () => {
  it("refuses report data bound for a repository that is not private, logging the action and never the data", async () => {
    world = await createWorld();
    const w = world;
    const report = w.person("quokka-finder").reportVulnerability(PROJECT, { summary: SUMMARY });
    await w.deliver(report);
    const ghsa = (report[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
    const rt = await w.runtime();
    const read = await rt.charter();
    if (!read.ok) throw new Error("charter");
    await pollAdvisories(rt, read.charter); // reads the advisories and the tracker, as every sweep does
    const before = w.fake.writes().length;

    // The charter repo's visibility was never read in this run: unknown, so a write carrying data fails closed.
    const [unknown] = await rt.apply([openIssue(charterRepo, `Fixed in ${ghsa}.`)]);
    expect(unknown?.outcome).toBe("failed");
    expect(unknown?.error).toBe(
      "refused to open an issue in django/.github: the text carries a tracked GHSA id and the visibility of django/.github is not known",
    );

    // Once read (any answer naming the repository teaches it), it is known to be public.
    await rt.octokit.rest.repos.get(charterRepo);
    const refused = await rt.apply([
      openIssue(charterRepo, `Fixed in ${ghsa.toLowerCase()}.`),
      openIssue(charterRepo, `> ${SUMMARY.toUpperCase().replace(/ /g, "\n")}`),
      openIssue(charterRepo, "Thanks to @quokka-finder"),
      { kind: "issue.update", repo: charterRepo, number: 1, title: `${ghsa} fixed`, why: "test" },
      {
        kind: "check.create",
        repo: charterRepo,
        name: "charter",
        headSha: "a".repeat(40),
        conclusion: "success",
        output: { title: "ok", summary: "ok", annotations: [annotation(SUMMARY)] },
        why: "test",
      },
      {
        kind: "pull.createWithFile",
        repo: charterRepo,
        base: "main",
        branch: "b",
        path: "x",
        content: "x",
        commitMessage: "x",
        title: "x",
        body: `see ${ghsa}`,
        why: "test",
      },
    ]);
    expect(refused.map((r) => r.error)).toEqual([
      "refused to open an issue in django/.github: the text carries a tracked GHSA id and django/.github is not private",
      "refused to open an issue in django/.github: the text carries an advisory summary and django/.github is not private",
      "refused to open an issue in django/.github: the text carries a reporter's login and django/.github is not private",
      "refused to edit django/.github#1: the text carries a tracked GHSA id and django/.github is not private",
      `refused to report check "charter" = success on django/.github@aaaaaaa: the text carries an advisory summary and django/.github is not private`,
      "refused to open a pull request in django/.github changing x (branch b): the text carries a tracked GHSA id and django/.github is not private",
    ]);
    expect(w.fake.writes().length).toBe(before); // not one request was sent

    const refusals = w.logs.filter((l) => l.includes("refused to"));
    expect(refusals).toHaveLength(7);
    for (const line of refusals) {
      expect(JSON.parse(line)).toMatchObject({ level: 50, outcome: "refused" });
      expect(line).not.toContain(ghsa);
      expect(line).not.toContain(ghsa.toLowerCase());
      expect(line).not.toMatch(/Quokka|quokka-finder/i);
    }

    // Positive controls: the same data goes to the private tracker, and clean text goes to the public repo.
    const allowed = await rt.apply([
      openIssue(tracker, `Tracking ${ghsa}: ${SUMMARY}, reported by @quokka-finder`),
      openIssue(charterRepo, "The security team's charter changed: see the pull request."),
    ]);
    expect(allowed.map((r) => r.outcome)).toEqual(["applied", "applied"]);
    expect(w.fake.issues(TRACKER).at(-1)?.body).toContain(ghsa);
    expect(w.fake.issues(CHARTER_REPO).at(-1)?.body).toBe(
      "The security team's charter changed: see the pull request.",
    );
  });
});

describe("the write guard learns from GraphQL answers as from REST ones (attacker-style)", () => {
  /** A report taken in by its webhook (its tracking issue in the tracker), then a fresh run that has read nothing. */
  async function reportThenFreshRun() {
    world = await createWorld();
    const w = world;
    const report = w.person("quokka-finder").reportVulnerability(PROJECT, { summary: SUMMARY });
    await w.deliver(report);
    const ghsa = (report[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
    const issue = w.fake.issues(TRACKER).find((i) => i.body.includes(ghsa));
    if (!issue) throw new Error("no tracking issue");
    const rt = await w.runtime();
    const read = await rt.charter();
    if (!read.ok) throw new Error("charter");
    return { w, rt, charter: read.charter, ghsa, number: issue.number };
  }

  const leaks = (ghsa: string): Action[] => [
    openIssue(project, `Fixed in ${ghsa.toLowerCase()}.`),
    { kind: "issue.comment", repo: project, number: 1, body: `Re: ${SUMMARY}`, why: "test" },
  ];

  it("refuses what only a sweep page taught it, bound for a public repository; the tracker and clean text still get their writes", async () => {
    const { w, rt, charter, ghsa } = await reportThenFreshRun();
    // The sweep's stale pass, when the poll before it failed: the report is read by GraphQL only.
    let read = 0;
    for await (const page of openReportPages(rt.octokit, charter, await rt.self())) read += page.length;
    expect(read).toBe(1);
    const before = w.fake.writes().length;

    const refused = await rt.apply(leaks(ghsa));
    expect(refused.map((r) => r.error)).toEqual([
      "refused to open an issue in django/django: the text carries a tracked GHSA id and the visibility of django/django is not known",
      "refused to comment on django/django#1: the text carries an advisory summary and the visibility of django/django is not known",
    ]);
    await rt.octokit.rest.repos.get(project); // known public: refused all the same
    expect((await rt.apply(leaks(ghsa))).map((r) => r.error)).toEqual([
      "refused to open an issue in django/django: the text carries a tracked GHSA id and django/django is not private",
      "refused to comment on django/django#1: the text carries an advisory summary and django/django is not private",
    ]);
    expect(w.fake.writes().length).toBe(before);

    // Positive controls: the same data goes to the tracker (its visibility came with the page), clean text to the project.
    const allowed = await rt.apply([
      openIssue(tracker, `Still open: ${ghsa}, ${SUMMARY}`),
      openIssue(project, "The 5.2 release is scheduled for next week."),
    ]);
    expect(allowed.map((r) => r.outcome)).toEqual(["applied", "applied"]);
    expect(w.fake.issues(TRACKER).at(-1)?.body).toBe(`Still open: ${ghsa}, ${SUMMARY}`);
    expect(w.fake.issues(PROJECT).at(-1)?.body).toBe("The 5.2 release is scheduled for next week.");
  });

  it("refuses what only a command's read of the tracking issue taught it", async () => {
    const { w, rt, ghsa, number } = await reportThenFreshRun();
    const { issue } = await readIssueWithCharter(rt, tracker, number);
    expect(issue?.number).toBe(number);
    await rt.octokit.rest.repos.get(project);

    expect((await rt.apply(leaks(ghsa))).map((r) => r.outcome)).toEqual(["failed", "failed"]);
    const allowed = await rt.apply([
      openIssue(tracker, `${ghsa}: ${SUMMARY}`),
      openIssue(project, "Thanks!"),
    ]);
    expect(allowed.map((r) => r.outcome)).toEqual(["applied", "applied"]);
    expect(w.fake.issues(TRACKER).at(-1)?.title).toBe("Status");
  });

  it("learns from Octokit's own graphql() as well, should a reader call it", async () => {
    const { rt, ghsa, number } = await reportThenFreshRun();
    await rt.octokit.graphql(
      `query ($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) { nameWithOwner visibility issue(number: $number) { number title body } }
      }`,
      { ...tracker, number },
    );
    expect((await rt.apply(leaks(ghsa))).map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect((await rt.apply([openIssue(project, "Thanks!")])).map((r) => r.outcome)).toEqual(["applied"]);
  });

  it("does not take a marker typed into a public issue for report data", async () => {
    const { w, rt } = await reportThenFreshRun();
    // Anyone can open an issue in the public project that looks like a tracking issue.
    const forged = "GHSA-f0f0-f0f0-f0f0";
    const phrase = "The release notes mention the new middleware";
    w.person("mallory").openIssue(PROJECT, {
      title: `${forged}: ${phrase}`,
      body: `<!-- security-team:ghsa:${forged} -->`,
    });
    const planted = w.fake.issues(PROJECT).at(-1);
    if (!planted) throw new Error("no issue");
    await readIssueWithCharter(rt, project, planted.number);

    // Were it learnt, the app could no longer say these words in public.
    const results = await rt.apply([openIssue(project, `${phrase}; see ${forged}.`)]);
    expect(results.map((r) => r.outcome)).toEqual(["applied"]);
  });
});

describe("what a GraphQL answer teaches (pure)", () => {
  const tracking = (ghsa: string, summary: string) => ({
    number: 7,
    title: `${ghsa}: ${summary}`,
    body: `<!-- security-team:ghsa:${ghsa} -->\n\nDetails.`,
  });
  const write = (repo: { owner: string; repo: string }, body: string): Action => ({
    kind: "issue.comment",
    repo,
    number: 1,
    body,
    why: "t",
  });

  it("learns the visibility of a repository and the tracking issues read under it, a page deep", () => {
    const guard = createDisclosureGuard();
    learnGraphQL(guard, {
      repository: {
        nameWithOwner: "django/security-reports",
        visibility: "PRIVATE",
        issues: { nodes: [tracking("GHSA-aaaa-bbbb-cccc", "Header injection through the redirect view")] },
      },
    });
    expect(guard.isPrivate(tracker)).toBe(true);
    expect(
      guard.findings(write(charterRepo, "GHSA-AAAA-BBBB-CCCC; header injection through the redirect VIEW")),
    ).toEqual(["a tracked GHSA id", "an advisory summary"]);
  });

  it("learns an issue by its own repository, read after the page's repository", () => {
    const guard = createDisclosureGuard();
    learnGraphQL(guard, {
      search: {
        nodes: [
          {
            ...tracking("GHSA-dddd-eeee-ffff", "Cache poisoning via the vary header"),
            repository: { nameWithOwner: "django/security-reports", visibility: "PRIVATE" },
          },
        ],
      },
    });
    expect(guard.findings(write(charterRepo, "GHSA-dddd-eeee-ffff"))).toEqual(["a tracked GHSA id"]);
  });

  it.each([
    ["a public repository", { nameWithOwner: "django/django", visibility: "PUBLIC" }, false],
    ["an internal one (visible org-wide)", { nameWithOwner: "django/django", visibility: "INTERNAL" }, false],
    [
      "`isPrivate` alone (true of internal ones too)",
      { nameWithOwner: "django/django", isPrivate: true },
      undefined,
    ],
    ["a repository whose visibility was not asked for", { nameWithOwner: "django/django" }, undefined],
  ])("does not take issues under %s for tracking issues", (_, repository, isPrivate) => {
    const guard = createDisclosureGuard();
    learnGraphQL(guard, {
      repository: { ...repository, issue: tracking("GHSA-gggg-hhhh-jjjj", "Anything at all here") },
    });
    expect(guard.isPrivate(project)).toBe(isPrivate);
    expect(guard.findings(write(charterRepo, "GHSA-gggg-hhhh-jjjj, anything at all here"))).toEqual([]);
  });

  it("does not take a comment with a marker for a tracking issue", () => {
    const guard = createDisclosureGuard();
    learnGraphQL(guard, {
      repository: {
        nameWithOwner: "django/security-reports",
        visibility: "PRIVATE",
        issue: { comments: { nodes: [{ body: "<!-- security-team:ghsa:GHSA-kkkk-mmmm-pppp -->" }] } },
      },
    });
    expect(guard.findings(write(charterRepo, "GHSA-kkkk-mmmm-pppp"))).toEqual([]);
  });
});

function annotation(message: string) {
  return {
    path: ".github/security-charter.yml",
    start_line: 1,
    end_line: 1,
    annotation_level: "notice" as const,
    message,
  };
}

describe("what the guard finds (pure)", () => {
  const guard = createDisclosureGuard();
  guard.learnVisibility(tracker, true);
  guard.learn({
    ghsa_id: "GHSA-abcd-efgh-2345",
    summary: "Stored XSS in the admin changelist search box",
    author: { login: "eve-reports" },
    credits_detailed: [{ type: "reporter", user: { login: "co-finder" } }],
  });
  // A member who drafted an advisory is its author, yet naming a member is not a leak.
  guard.learn({ ghsa_id: "GHSA-wxyz-wxyz-wxyz", summary: "Drafted by a member", author: { login: "shaib" } });
  guard.learnMembers(["shaib", "felixxm"]);
  guard.learnFigures(["shaib", "felixxm"]);
  // A tracking issue in the (private) tracker: its marker and title teach a GHSA no advisory list showed.
  guard.learn({
    repository_url: "https://api.github.com/repos/django/security-reports",
    title: "GHSA-2222-3333-4444: Timing oracle in password reset token comparison",
    body: "<!-- security-team:ghsa:GHSA-2222-3333-4444 -->",
  });
  const comment = (body: string, repo = charterRepo): Action => ({
    kind: "issue.comment",
    repo,
    number: 1,
    body,
    why: "t",
  });

  it.each([
    ["GHSA-ABCD-EFGH-2345 is fixed", ["a tracked GHSA id"]],
    ["see ghsa-2222-3333-4444", ["a tracked GHSA id"]],
    ["stored-xss in the ADMIN changelist `search` box", ["an advisory summary"]],
    ["timing oracle in password-reset token comparison, fixed", ["an advisory summary"]],
    ["credit: `co-finder`", ["a reporter's login"]],
    ["| eve-reports |", ["a reporter's login"]],
    ["- [ ] @shaib: 3 reports", ["a member's figure"]],
    ["| felixxm | 2 | 4 |", ["a member's figure"]],
    ['    "shaib" : 2', ["a member's figure"]],
  ])("finds %j", (text, found) => {
    expect(guard.findings(comment(text))).toEqual(found);
  });

  it.each([
    "Reaffirmed: - @shaib: 2026-12-05",
    "@shaib reaffirmed on 2026-12-03",
    "eve-reportsx and xeve-reports are other people; eve reports nothing",
    "Stored XSS",
    "Annual reaffirmation 2026: 1 removed, 2 reaffirmed",
    "approved by @shaib (needs 1 more approval)",
  ])("lets %j through", (text) => {
    expect(guard.findings(comment(text))).toEqual([]);
  });

  it("lets anything through to a repository known to be private, and clean text anywhere", () => {
    expect(guard.refusal(comment("GHSA-abcd-efgh-2345", tracker), "t")).toBeUndefined();
    expect(guard.refusal(comment("The charter changed."), "t")).toBeUndefined();
    expect(guard.refusal(comment("GHSA-abcd-efgh-2345"), "t")).toContain("is not known");
  });

  it("refuses in a dry run too, so the plan shows what would be refused", async () => {
    const lines: string[] = [];
    const log = pino(
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const results = await createDryRunExecutor({ log, guard }).apply([
      comment("GHSA-abcd-efgh-2345"),
      comment("clean"),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(["failed", "planned"]);
    expect(lines.map((l) => JSON.parse(l)).filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({
        level: 50,
        action: "issue.comment",
        target: "comment on django/.github#1",
        outcome: "refused",
        msg: "refused to comment on django/.github#1: the text carries a tracked GHSA id and the visibility of django/.github is not known (report data stays in private repositories)",
      }),
    ]);
  });
});
