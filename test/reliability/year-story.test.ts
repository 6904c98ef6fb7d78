import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { LoggedRequest } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { CHARTER_REPO, createWorld, PROJECT, TRACKER, type World } from "./world.js";

/**
 * Guarantee 1 over a whole year, as a team runs it on the in-memory GitHub: two reports taken in and
 * claimed, a reminder sweep, the reaffirmation (issue, `/reaffirm`, the charter PR), and
 * `security-team report --publish --publish-to` a public repository. Nothing the app writes to a
 * repository that is not private carries a GHSA id, an advisory summary, a reporter's login, "N reports"
 * or a member next to a number; the private tracker holds all of them (the control). The write guard
 * refuses nothing: the data is routed to the tracker in the first place.
 */

const SUMMARY_A = "Wombat header injection in the password reset e-mail template";
const SUMMARY_B = "Okapi cache poisoning through the Vary header on localised pages";
const BOARD = "django/board";

let world: World | undefined;
afterEach(async () => {
  expect(world?.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

/** The text a write puts in a repository: its JSON body, with a committed file's content decoded. */
function textOf(r: LoggedRequest): string {
  const body = (r.body ?? {}) as { content?: string };
  const file = typeof body.content === "string" ? Buffer.from(body.content, "base64").toString("utf8") : "";
  return `${JSON.stringify(r.body ?? "")}\n${file}`;
}

/**
 * `owner/repo` of a write to a repository's issues, PRs, checks or contents (advisories are not a page
 * anyone reads). The CLI's requests carry the `/api/v3` prefix of its GHE-style base URL.
 */
function repoOf(r: LoggedRequest): string | undefined {
  const match = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/?]+)\/(?!security-advisories)/.exec(r.path);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

async function runYear(w: World): Promise<{ ghsaIds: string[]; report: { code: number; err: string } }> {
  const ghsaOf = (events: { payload: Record<string, unknown> }[]) =>
    (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
  const tracking = (ghsa: string) => {
    const issue = w.fake.issues(TRACKER).find((i) => i.body.includes(`ghsa:${ghsa}`));
    if (!issue) throw new Error(`no tracking issue for ${ghsa}`);
    return issue.number;
  };

  // Intake and claims.
  w.at("2026-02-10T10:00:00Z");
  const a = w.person("jane-reporter").reportVulnerability(PROJECT, { summary: SUMMARY_A, severity: "high" });
  await w.deliver(a);
  w.at("2026-02-11T10:00:00Z");
  await w.deliver(w.person("felixxm").addLabel(TRACKER, tracking(ghsaOf(a)), "claim"));
  w.at("2026-02-12T10:00:00Z");
  await w.deliver(w.person("shaib").comment(TRACKER, tracking(ghsaOf(a)), "Reviewed the patch."));

  // A second report nobody acknowledges: the sweep reminds, then a member claims it.
  w.at("2026-05-05T10:00:00Z");
  const b = w.person("okapi-finder").reportVulnerability(PROJECT, { summary: SUMMARY_B });
  await w.deliver(b);
  w.at("2026-05-20T10:00:00Z");
  await w.sweep();
  const remindedOn = w.fake.issue(TRACKER, tracking(ghsaOf(b))).comments.map((c) => c.body);
  expect(remindedOn.join("\n")).toContain("security-team:reminder:");
  w.at("2026-05-21T10:00:00Z");
  await w.deliver(w.person("shaib").comment(TRACKER, tracking(ghsaOf(b)), "/claim"));

  // Reaffirmation: the issue opens, two members reaffirm, the grace period ends.
  w.at("2026-12-01T09:00:00Z");
  const before = w.fake.requests.length;
  await w.sweep();
  // The poll and the reaffirmation both need the tracker to be private: read once per sweep, and each
  // write's guard asks the same answer.
  const trackerReads = w.fake.requests.slice(before).filter((r) => r.path === `/repos/${TRACKER}`);
  expect(trackerReads.map((r) => r.method)).toEqual(["GET"]);
  const reaffirmation = w.fake
    .issues(TRACKER)
    .find((i) => i.body.includes("security-team:reaffirmation:2026"));
  if (!reaffirmation) throw new Error("no reaffirmation issue in the tracker");
  w.at("2026-12-03T10:00:00Z");
  await w.deliver(w.person("shaib").comment(TRACKER, reaffirmation.number, "/reaffirm"));
  w.at("2026-12-04T10:00:00Z");
  await w.deliver(w.person("felixxm").comment(TRACKER, reaffirmation.number, "/reaffirm"));
  w.at("2026-12-31T06:00:00Z");
  await w.sweep();

  // The annual report, with a copy for the Board in a public repository.
  w.at("2027-01-05T10:00:00Z");
  const err: string[] = [];
  const code = await main(
    ["report", "--year", "2026", "--org", "django", "--publish", "--publish-to", BOARD],
    {
      out: () => {},
      err: (t) => err.push(t),
      env: {
        APP_ID: String(w.fake.appId),
        PRIVATE_KEY: TEST_PRIVATE_KEY,
        GHE_HOST: new URL(w.fake.baseUrl).host,
        GHE_PROTOCOL: "http",
        SECURITY_TEAM_NOW: "2027-01-05T10:00:00Z",
        LOG_LEVEL: "silent",
      },
    },
  );
  return { ghsaIds: [ghsaOf(a), ghsaOf(b)], report: { code, err: err.join("\n") } };
}

describe("a year of the security team's work (guarantee 1)", () => {
  it("writes report data only to the private tracker", async () => {
    world = await createWorld();
    const w = world;
    w.fake.addRepo(BOARD);
    const { ghsaIds, report } = await runYear(w);
    expect(report).toEqual({
      code: 0,
      err: expect.stringContaining(
        `${BOARD} is not private: the copy there is public (it carries no per-member figures)`,
      ),
    });

    const members = w.charter.members.map((m) => m.login);
    const leaks: [string, RegExp][] = [
      ...ghsaIds.map((id): [string, RegExp] => ["a GHSA id", new RegExp(id, "i")]),
      ["an advisory summary", /Wombat|Okapi/i],
      ["a reporter's login", /jane-reporter|okapi-finder/i],
      ['"N reports"', /\b\d+\s+reports?\b/i],
      ...members.map((login): [string, RegExp] => [
        "a member next to a number",
        new RegExp(`(?<![\\w-])${login}(?![\\w-])\\W{0,8}\\d+(?![\\d-])`, "i"),
      ]),
    ];

    const isPublic = (full: string) => !w.fake.repo(full).private;
    const publicWrites = w.fake.writes().filter((r) => {
      const repo = repoOf(r);
      return repo !== undefined && isPublic(repo);
    });
    // The story did write in public: the charter PR and the Board's copy.
    expect(publicWrites.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([`POST /repos/${CHARTER_REPO}/pulls`, `POST /api/v3/repos/${BOARD}/issues`]),
    );
    for (const r of publicWrites) {
      for (const [what, pattern] of leaks) {
        expect(pattern.test(textOf(r)), `${what} in ${r.method} ${r.path}`).toBe(false);
      }
    }
    expect(w.logs.join("\n")).not.toContain("refused to");

    // The control: the tracker holds every one of them.
    const tracker = w.fake
      .issues(TRACKER)
      .map((i) => [i.title, i.body, ...i.comments.map((c) => c.body)].join("\n"))
      .join("\n");
    for (const [what, pattern] of leaks.slice(0, 5)) expect(pattern.test(tracker), what).toBe(true);
    expect(members.some((login) => new RegExp(`\\| ${login} \\| \\d+`).test(tracker))).toBe(true);
    const reaffirmation = w.fake.issues(TRACKER).find((i) => i.title.startsWith("Annual reaffirmation 2026"));
    expect(reaffirmation?.body).toMatch(/- \[x\] @shaib: \d+ reports? \(reaffirmed 2026-12-03\)/);
    expect(reaffirmation?.state).toBe("closed");
    const pull = [...w.fake.repo(CHARTER_REPO).issues.values()].find((i) => i.pull);
    expect(pull?.title).toBe("Annual reaffirmation 2026: 3 removed, 2 reaffirmed");
    expect(w.fake.issues(TRACKER).some((i) => i.title === "Security team: annual report 2026")).toBe(true);
  });
});
