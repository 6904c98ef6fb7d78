import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliEnvironment } from "../../src/cli/env.js";
import { appCredentials } from "../../src/cli/github.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";

const script = fileURLToPath(new URL("../../scripts/private-key.mjs", import.meta.url));
const run = promisify(execFile);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "private-key-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The .env Probot's registration writes: the PEM on one line with \n escapes, in double quotes. */
function registeredEnv(): string {
  return [
    "WEBHOOK_PROXY_URL=https://smee.io/abc",
    "APP_ID=123",
    `PRIVATE_KEY="${TEST_PRIVATE_KEY.replace(/\n/g, "\\n")}"`,
    "WEBHOOK_SECRET=s3cret",
    "GITHUB_CLIENT_ID=Iv1.abc",
  ].join("\n");
}

describe("npm run private-key: from what registration writes to what docker compose mounts", () => {
  it("writes private-key.pem (mode 600) and leaves .env with PRIVATE_KEY_PATH and no PRIVATE_KEY", async () => {
    writeFileSync(join(dir, ".env"), registeredEnv());
    const { stdout } = await run(process.execPath, [script], { cwd: dir });

    expect(stdout).toBe(
      "wrote private-key.pem (mode 600); .env now has PRIVATE_KEY_PATH=private-key.pem and no PRIVATE_KEY\n",
    );
    expect(readFileSync(join(dir, "private-key.pem"), "utf8")).toBe(`${TEST_PRIVATE_KEY.trim()}\n`);
    expect(statSync(join(dir, "private-key.pem")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe(
      [
        "WEBHOOK_PROXY_URL=https://smee.io/abc",
        "APP_ID=123",
        "WEBHOOK_SECRET=s3cret",
        "GITHUB_CLIENT_ID=Iv1.abc",
        "PRIVATE_KEY_PATH=private-key.pem",
        "",
      ].join("\n"),
    );
    // The CLI (and Probot) now read the key from the file.
    const env = cliEnvironment(dir, {});
    const credentials = appCredentials({ ...env, PRIVATE_KEY_PATH: join(dir, String(env.PRIVATE_KEY_PATH)) });
    expect(credentials?.privateKey.trim()).toBe(TEST_PRIVATE_KEY.trim());
  });

  it("refuses, with one line, a .env without a key and a private-key.pem holding another key", async () => {
    writeFileSync(join(dir, ".env"), "APP_ID=123\n");
    await expect(run(process.execPath, [script], { cwd: dir })).rejects.toMatchObject({
      code: 1,
      stderr:
        "private-key: .env has no PRIVATE_KEY: nothing to move (PRIVATE_KEY_PATH may already point at the file)\n",
    });

    writeFileSync(join(dir, ".env"), registeredEnv());
    writeFileSync(join(dir, "private-key.pem"), "another key\n");
    await expect(run(process.execPath, [script], { cwd: dir })).rejects.toMatchObject({
      code: 1,
      stderr: "private-key: private-key.pem exists and holds another key: move it away first\n",
    });
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe(registeredEnv());
  });
});
