import { afterEach, describe, expect, it } from "vitest";
import { loadCharter } from "../../src/charter/loader.js";
import { EXAMPLE_CHARTER_TEXT, TEST_NOW } from "../helpers/charter.js";
import { createWorld, PROJECT, TRACKER, type World, writes } from "../reliability/world.js";

/**
 * A charter governs only the org it is read from. Someone who can change the charter (a merged PR, a
 * push by an admin) points `org` and `tracker` at an org they control, hoping the app copies the next
 * report there: the loader refuses the file, with line and column, so no writer acts on it.
 */

const ELSEWHERE = EXAMPLE_CHARTER_TEXT.replace(/^org: django$/m, "org: evil-corp").replace(
  "tracker: django/security-reports",
  "tracker: evil-corp/loot",
);

describe("a charter naming another org", () => {
  it("is refused by the loader given the installation's org, on the lines that name it", () => {
    const result = loadCharter(ELSEWHERE, { file: "c.yml", now: TEST_NOW, org: "django" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      {
        file: "c.yml",
        line: 4,
        col: 6,
        message:
          'org: this charter is read from the org "django" and governs only it (got "evil-corp"; set `org: django`)',
      },
      {
        file: "c.yml",
        line: 6,
        col: 10,
        message: 'tracker: must be a repository of the org "django" (got "evil-corp/loot")',
      },
    ]);
    // A team slug cannot name an org at all.
    const team = EXAMPLE_CHARTER_TEXT.replace("team: django-security-team", "team: evil-corp/security");
    expect(loadCharter(team, { file: "c.yml", now: TEST_NOW, org: "django" })).toMatchObject({
      ok: false,
      errors: [{ line: 5, message: expect.stringContaining("team: is not a valid team slug") }],
    });
  });

  it("control: the same org, spelt in another case, loads", () => {
    expect(loadCharter(EXAMPLE_CHARTER_TEXT, { file: "c.yml", now: TEST_NOW, org: "Django" }).ok).toBe(true);
  });
});

describe("a report arriving while the charter names another org's tracker", () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it("is written nowhere: not to the other org's repository, not to the tracker", async () => {
    world = await createWorld({ charterText: ELSEWHERE });
    world.fake.addOrg("evil-corp", { installationId: 43 });
    world.fake.addRepo("evil-corp/loot", { private: true });
    await world.deliver(world.person("jane-reporter").reportVulnerability(PROJECT, { summary: "Gnu XSS" }));
    await world.sweep();

    expect(writes(world)).toEqual([]);
    expect(world.fake.issues("evil-corp/loot")).toEqual([]);
    expect(world.logs.join("\n")).toContain("the charter is missing or invalid");
  });

  it("control: with the org's own charter the report gets its tracking issue", async () => {
    world = await createWorld();
    await world.deliver(world.person("jane-reporter").reportVulnerability(PROJECT, { summary: "Gnu XSS" }));
    expect(world.fake.issues(TRACKER)).toHaveLength(1);
  });
});
