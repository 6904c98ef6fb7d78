import { afterEach, describe, expect, it } from "vitest";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";
import { runCli } from "./cli-world.js";

/**
 * A careless operator: `LOG_LEVEL=debug security-team sweep` (one edit of the sweep workflow), whose
 * stderr lands in an Actions log anyone can read when the repository is public. The sweep opens a
 * tracking issue for a new report; not one log line may name it.
 */

const SUMMARY = "Quagga heap overflow in the multipart parser";
const REPORTER = "jane-reporter";

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

function installationTokens(w: World): string[] {
  return [...(w.fake as unknown as { tokens: Set<string> }).tokens];
}

describe("LOG_LEVEL=debug security-team sweep", () => {
  it("logs neither the report it tracks nor a credential", async () => {
    world = await createWorld();
    const advisory = world.fake.addAdvisory(PROJECT, { summary: SUMMARY, author: REPORTER });
    const { code, log } = await runCli(world, ["sweep", "--org", "django"], { LOG_LEVEL: "debug" });

    expect(code).toBe(0);
    const [issue] = world.fake.issues(TRACKER);
    expect(issue?.body).toContain(advisory.ghsa_id); // the sweep did open the tracking issue
    expect(log).toContain("logging at info instead");
    expect(log).toContain('"msg":"github write"');
    for (const text of [
      advisory.ghsa_id,
      SUMMARY,
      "Quagga",
      `/security-advisories/${advisory.ghsa_id}`,
      REPORTER,
      TEST_PRIVATE_KEY.split("\n")[1] as string,
      ...installationTokens(world),
    ]) {
      expect(log).not.toContain(text);
    }
  });

  it("control: an uncapped logger at debug, as the CLI had, does print the advisory", async () => {
    world = await createWorld({ level: "debug" });
    const advisory = world.fake.addAdvisory(PROJECT, { summary: SUMMARY, author: REPORTER });
    await world.sweep();
    expect(world.fake.issues(TRACKER)).toHaveLength(1);
    expect(world.logs.join("\n")).toContain(advisory.ghsa_id);
  });
});
