import { afterEach, describe, expect, it } from "vitest";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { createWorld, type World } from "../reliability/world.js";
import { runCli } from "./cli-world.js";

/**
 * An operator renames the team in GitHub's settings (or deletes it) and forgets the charter: the sweep
 * must say so and fail, not report `failures: []` and exit 0 while nothing is kept in line.
 */

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe("security-team sweep when the charter's team is gone", () => {
  it("fails with one line naming the team and the fix", async () => {
    // GitHub has `django-security-team`; the charter names the slug it had before a rename.
    world = await createWorld({
      charterText: EXAMPLE_CHARTER_TEXT.replace("team: django-security-team", "team: security"),
    });
    const text = await runCli(world, ["sweep", "--org", "django"]);
    const json = await runCli(world, ["sweep", "--org", "django", "--json"]);

    expect(text.code).toBe(1);
    expect(text.out.split("\n").filter((l) => l.startsWith("failed:"))).toEqual([
      "failed: team: the team `django/security` does not exist (or the app cannot see it): create it, or fix `team` in the charter.",
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).failures).toEqual([
      {
        step: "team",
        error:
          "the team `django/security` does not exist (or the app cannot see it): create it, or fix `team` in the charter.",
      },
    ]);
  });

  it("control: the team as the charter names it passes", async () => {
    world = await createWorld();
    const { code, out } = await runCli(world, ["sweep", "--org", "django"]);
    expect(code).toBe(0);
    expect(out).toContain("team: noop");
    expect(out).not.toContain("failed:");
  });
});
