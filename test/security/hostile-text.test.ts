import { afterEach, describe, expect, it } from "vitest";
import { loadCharter, tooDeep } from "../../src/charter/loader.js";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { parseCommand } from "../../src/commands/parse.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";

/**
 * Guarantee 9: hostile text cannot stall the app. These tests assert results, never times: on the
 * old code each hostile input either gave the wrong answer or ran past the test's timeout.
 */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

/** 64 KiB on one line: a run of spaces, a run of text, a lone carriage return. It made the old pattern backtrack. */
const BACKTRACKING_TAIL = `${" ".repeat(32_000)}${"x".repeat(32_000)}\ry`;

describe("a slash command with a hostile first line", () => {
  it("is read in one pass: a member's /ack padded to 64 KiB is answered", async () => {
    world = await createWorld();
    const w = world;
    await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" }));
    const number = w.fake.issues(TRACKER)[0]?.number ?? 0;
    await w.deliver(w.person("shaib").comment(TRACKER, number, `/ack${BACKTRACKING_TAIL}`));
    const reply = w.fake.issue(TRACKER, number).comments.at(-1)?.body ?? "";
    expect(reply).toMatch(/^Acknowledged by @shaib\.\n\n<!-- security-team:ack -->/);
  });

  it("positive control: the plain command gives the same answer", async () => {
    world = await createWorld();
    const w = world;
    await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" }));
    const number = w.fake.issues(TRACKER)[0]?.number ?? 0;
    await w.deliver(w.person("shaib").comment(TRACKER, number, "/ack"));
    expect(w.fake.issue(TRACKER, number).comments.at(-1)?.body).toMatch(/^Acknowledged by @shaib\./);
  });

  it("reads only the first non-blank line as the command, whatever follows", () => {
    const parsed = parseCommand(`\n \n/approve ${"[".repeat(50_000)}\n${"<!--\n".repeat(10_000)}`);
    expect(parsed?.name).toBe("approve");
    expect(parsed?.args).toEqual(["[".repeat(50_000)]);
    expect(parseCommand(`${"\n".repeat(100_000)}not a command /ack`)).toBeUndefined();
  });
});

/** The example charter with `count` members whose role does not exist (two errors each). */
function invalidMembers(count: number): string {
  const members = Array.from({ length: count }, (_, i) => `  - login: user${i}\n    roles: [nope]\n`);
  return EXAMPLE_CHARTER_TEXT.replace("members:\n", `members:\n${members.join("")}`);
}

describe("a hostile charter", () => {
  const now = new Date("2026-11-22T12:00:00Z");

  it("nested half a million levels deep is refused before any document is built", () => {
    const text = `version: 1\nmembers: ${"[".repeat(500_000)}${"]".repeat(500_000)}\n`;
    const read = loadCharter(text, { file: "charter.yml", now });
    expect(read).toEqual({
      ok: false,
      errors: [
        {
          file: "charter.yml",
          line: 2,
          col: 1,
          message: "nested deeper than 32 levels (a charter needs about 5): flatten it",
        },
      ],
    });
  });

  it("nested by indentation or by `- - -` is refused the same way", () => {
    const indented = Array.from({ length: 40 }, (_, i) => `${" ".repeat(i)}a:`).join("\n");
    expect(tooDeep(indented, 32)).toBe(33); // the 33rd level
    expect(tooDeep(`x:\n${"- ".repeat(100_000)}1\n`, 32)).toBe(2);
    // Brackets in quotes and comments open nothing; 32 levels in all is within the limit.
    expect(
      tooDeep(`x: "${"[".repeat(1000)}"\ny: '${"{".repeat(1000)}' # ${"[".repeat(1000)}`, 32),
    ).toBeUndefined();
    expect(tooDeep(`x: ${"[".repeat(31)}${"]".repeat(31)}`, 32)).toBeUndefined();
    expect(tooDeep(`x: ${"[".repeat(32)}${"]".repeat(32)}`, 32)).toBe(1);
    expect(tooDeep(EXAMPLE_CHARTER_TEXT, 32)).toBeUndefined();
  });

  it("positive control: the example charter loads, and 30 levels are judged by the schema, not refused", () => {
    expect(loadCharter(EXAMPLE_CHARTER_TEXT, { file: "charter.yml", now }).ok).toBe(true);
    const nested = loadCharter(`members: ${"[".repeat(30)}${"]".repeat(30)}\n`, { file: "charter.yml", now });
    if (nested.ok) throw new Error("loaded");
    expect(nested.errors.map((e) => e.message)).not.toContainEqual(expect.stringContaining("nested deeper"));
    expect(nested.errors.length).toBeGreaterThan(0);
  });

  it("with 12,000 invalid members reports the first 50 errors and counts the rest", () => {
    const read = loadCharter(invalidMembers(12_000), { file: "charter.yml", now });
    if (read.ok) throw new Error("loaded");
    expect(read.errors).toHaveLength(51);
    expect(read.errors[0]?.message).toBe("members.0.joined: required");
    // The count sits where the errors not shown begin.
    expect(read.errors.at(-1)?.message).toBe("… and 23,950 more");
    expect(read.errors.at(-1)?.line).toBeGreaterThanOrEqual(read.errors.at(-2)?.line ?? 0);
  });

  it("positive control: a charter with a few errors reports every one of them", () => {
    const read = loadCharter(invalidMembers(3), { file: "charter.yml", now });
    if (read.ok) throw new Error("loaded");
    expect(read.errors.map((e) => e.message)).toEqual([
      "members.0.joined: required",
      'members.0.roles.0: must be one of "chair", "co-chair", "fellow", "triager", "liaison", got string "nope"',
      "members.1.joined: required",
      'members.1.roles.0: must be one of "chair", "co-chair", "fellow", "triager", "liaison", got string "nope"',
      "members.2.joined: required",
      'members.2.roles.0: must be one of "chair", "co-chair", "fellow", "triager", "liaison", got string "nope"',
    ]);
  });

  it("in a pull request gets a failing check with 51 annotations, sent 50 per request", async () => {
    world = await createWorld();
    const w = world;
    const events = w.person("shaib").openPullWithFile(CHARTER_REPO, {
      branch: "many-members",
      path: DEFAULT_CHARTER_PATH,
      text: invalidMembers(1_000),
      title: "Add many members",
    });
    await w.deliver(events);
    const [run] = w.fake.checkRuns(CHARTER_REPO).filter((r) => r.name === "charter");
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.annotations).toHaveLength(51);
    expect((run?.output.annotations.at(-1) as { message: string }).message).toBe("… and 1,950 more");
    const checkWrites = w.fake.writes().filter((r) => r.path.includes("/check-runs"));
    expect(checkWrites.map((r) => r.method)).toEqual(["POST", "PATCH"]);
  });
});
