import { vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/types.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { START, TRACKER, type World } from "../reliability/world.js";

/**
 * The real `security-team` CLI, as an operator runs it (the app's id and key, GHE_HOST pointing at the
 * in-memory GitHub), with what it prints on stdout and everything written to stderr (its log).
 */
export async function runCli(
  world: World,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; log: string }> {
  // The CLI's client spaces writes a second apart (Probot's throttling): the tracker's labels exist,
  // as after a first sweep, so that time goes only to the writes a test is about.
  for (const label of ["security-report", "claim", "needs-sign-off", "stale"]) {
    world.fake.ensureLabel(world.fake.repo(TRACKER), label);
  }
  const out: string[] = [];
  const log: string[] = [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void out.push(t),
    env: {
      SECURITY_TEAM_NOW: world.env.SECURITY_TEAM_NOW ?? START,
      APP_ID: String(world.fake.appId),
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      GHE_HOST: world.fake.baseUrl.replace(/^http:\/\//, ""),
      GHE_PROTOCOL: "http",
      ...env,
    },
  };
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  });
  try {
    const code = await main(args, io);
    return { code, out: out.join("\n"), log: log.join("") };
  } finally {
    stderr.mockRestore();
  }
}
