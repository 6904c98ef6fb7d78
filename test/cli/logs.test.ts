import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/types.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { createWorld, PROJECT, START, TRACKER, type World } from "../reliability/world.js";

/**
 * A careless operator: `LOG_LEVEL=debug security-team sweep` (one edit of the sweep workflow), whose
 * stderr lands in an Actions log anyone can read when the repository is public. The sweep opens a
 * tracking issue for a new report; not one log line may name it.
 */

const SUMMARY = "Quagga heap overflow in the multipart parser";
const REPORTER = "jane-reporter";

let world: World | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await world?.stop();
  world = undefined;
});

/** Everything written to stderr while `run` runs (the CLI's logger writes there). */
async function capturingStderr(run: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    vi.mocked(process.stderr.write).mockRestore();
  }
  return lines.join("");
}

function cliEnv(w: World): NodeJS.ProcessEnv {
  return {
    SECURITY_TEAM_NOW: START,
    APP_ID: String(w.fake.appId),
    PRIVATE_KEY: TEST_PRIVATE_KEY,
    GHE_HOST: w.fake.baseUrl.replace(/^http:\/\//, ""),
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "debug",
  };
}

function installationTokens(w: World): string[] {
  return [...(w.fake as unknown as { tokens: Set<string> }).tokens];
}

describe("LOG_LEVEL=debug security-team sweep", () => {
  it("logs neither the report it tracks nor a credential", async () => {
    world = await createWorld();
    const advisory = world.fake.addAdvisory(PROJECT, { summary: SUMMARY, author: REPORTER });
    const out: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: (t) => void out.push(t), env: cliEnv(world) };
    let code: number | undefined;
    const log = await capturingStderr(async () => {
      code = await main(["sweep", "--org", "django"], io);
    });

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
