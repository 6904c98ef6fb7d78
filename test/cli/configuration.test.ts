import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeError } from "../../src/cli/errors.js";
import { main } from "../../src/cli/main.js";
import { FakeGitHub } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const NOW = "2026-11-22T12:00:00Z";
let fake: FakeGitHub;
let dir: string;

beforeEach(async () => {
  fake = new FakeGitHub({ now: () => new Date(NOW) });
  await fake.start();
  fake.addOrg("django");
  fake.addTeam("django", "django-security-team");
  fake.addRepo("django/.github");
  fake.setFile("django/.github", ".github/security-charter.yml", EXAMPLE_CHARTER_TEXT);
  dir = mkdtempSync(join(tmpdir(), "cli-config-"));
});

afterEach(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The environment that points the CLI at the in-memory GitHub (as GHE_HOST does for a real one). */
function githubEnv(): Record<string, string> {
  return { GHE_HOST: fake.baseUrl.replace("http://", ""), GHE_PROTOCOL: "http", SECURITY_TEAM_NOW: NOW };
}

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** `security-team ARGS` as a user types it, in `cwd` (where a `.env` may be), with only `env` set. */
async function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const script = `import { main } from ${JSON.stringify(join(root, "src/cli/main.ts"))}; process.exitCode = await main(process.argv.slice(1));`;
  const child = spawn(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script, ...args],
    { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => {
    out += String(c);
  });
  child.stderr.on("data", (c) => {
    err += String(c);
  });
  const [code] = await once(child, "exit");
  return { code: code as number, out, err };
}

describe("configuration errors: one line naming the variable and the fix", () => {
  it("APP_ID=123 PRIVATE_KEY=notakey: the key is named, GitHub is never asked", async () => {
    const r = await run(["plan", "--org", "django"], {
      ...githubEnv(),
      APP_ID: "123",
      PRIVATE_KEY: "notakey",
    });
    expect(r).toEqual({
      code: 1,
      out: "",
      err: "security-team plan: PRIVATE_KEY is not a PEM private key (nor base64 of one): set it to the whole .pem file GitHub generated for the app, or leave it empty and set PRIVATE_KEY_PATH to the file",
    });
    expect(fake.requests).toEqual([]);
  });

  it("--json: the same error as JSON on stdout", async () => {
    const r = await run(["plan", "--org", "django", "--json"], {
      ...githubEnv(),
      APP_ID: "123",
      PRIVATE_KEY: "notakey",
    });
    expect(r.code).toBe(1);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toEqual({
      status: "error",
      error:
        "PRIVATE_KEY is not a PEM private key (nor base64 of one): set it to the whole .pem file GitHub generated for the app, or leave it empty and set PRIVATE_KEY_PATH to the file",
    });
  });

  it("an APP_ID that is not a number, and a PRIVATE_KEY_PATH that does not exist", async () => {
    const badId = await run(["plan", "--org", "django"], { APP_ID: "my-app", PRIVATE_KEY: TEST_PRIVATE_KEY });
    expect(badId.err).toBe(
      'security-team plan: APP_ID="my-app" is not a number: set it to the App ID shown on the app\'s settings page',
    );
    const missing = join(dir, "missing.pem");
    const noFile = await run(["plan", "--org", "django"], { APP_ID: "123", PRIVATE_KEY_PATH: missing });
    expect(noFile.err).toBe(
      `security-team plan: PRIVATE_KEY_PATH=${missing}: cannot read the file (ENOENT): point it at the app's .pem file`,
    );
  });

  it("an org the app is not installed on is named with the fix", async () => {
    const r = await run(["plan", "--org", "flask"], {
      ...githubEnv(),
      APP_ID: "123",
      PRIVATE_KEY: TEST_PRIVATE_KEY,
    });
    expect(r.err).toBe(
      'security-team plan: the app (APP_ID=123) is not installed on the org "flask": install it there (the app\'s settings, Install App), or check --org',
    );
  });

  it("a GitHub that cannot be reached is named with GHE_HOST, not as an answer from GitHub", async () => {
    await fake.stop(); // nothing listens there any more
    // The error Octokit raises (without the retries Probot's client adds, which only delay it).
    const error = await new Octokit({ baseUrl: `${fake.baseUrl}/api/v3`, log: silent }).rest.repos
      .get({ owner: "django", repo: ".github" })
      .catch((e: unknown) => e);
    expect(describeError(error)).toMatch(
      new RegExp(
        `^cannot reach GitHub at ${fake.baseUrl.replace("http://", "").replace(/\./g, "\\.")}: .+: check GHE_HOST/GHE_PROTOCOL \\(unset for github\\.com\\) and the network$`,
      ),
    );
  });

  it("an unknown option is a usage error (exit 2), as JSON with --json", async () => {
    const r = await run(["plan", "--org", "django", "--json", "--bogus"], githubEnv());
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ status: "error", error: "Unknown option '--bogus'" });
  });

  it("positive control: an empty PRIVATE_KEY beside a valid PRIVATE_KEY_PATH uses the file", async () => {
    const keyFile = join(dir, "private-key.pem");
    writeFileSync(keyFile, TEST_PRIVATE_KEY);
    const r = await run(["plan", "--org", "django"], {
      ...githubEnv(),
      APP_ID: String(fake.appId),
      PRIVATE_KEY: "",
      PRIVATE_KEY_PATH: keyFile,
    });
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^Plan for `django\/django-security-team`/);
    expect(r.code).toBe(0);
  });
});

describe("the CLI reads .env from the current directory", () => {
  it("uses the credentials registration wrote to .env (PRIVATE_KEY with \\n escapes)", async () => {
    // What Probot's registration writes: the PEM on one line, newlines escaped, in double quotes.
    const escaped = TEST_PRIVATE_KEY.replace(/\n/g, "\\n");
    writeFileSync(join(dir, ".env"), `APP_ID=${fake.appId}\nPRIVATE_KEY="${escaped}"\nWEBHOOK_SECRET=s\n`);
    const r = await spawnCli(["plan", "--org", "django"], dir, githubEnv());
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^Plan for `django\/django-security-team`/);
    expect(r.code).toBe(0);
  });

  it("the environment wins over .env; without either, 'no credentials' says where to set them", async () => {
    writeFileSync(join(dir, ".env"), "APP_ID=123\nPRIVATE_KEY=notakey\n");
    const fromEnv = await spawnCli(["plan", "--org", "django"], dir, {
      ...githubEnv(),
      APP_ID: String(fake.appId),
      PRIVATE_KEY: TEST_PRIVATE_KEY,
    });
    expect(fromEnv.code).toBe(0);

    const empty = mkdtempSync(join(tmpdir(), "cli-noenv-"));
    const none = await spawnCli(["plan", "--org", "django"], empty, githubEnv());
    rmSync(empty, { recursive: true, force: true });
    expect(none).toEqual({
      code: 1,
      out: "",
      err: "security-team plan: no credentials: set APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (registration writes them to .env), or GITHUB_TOKEN\n",
    });
  });
});

describe("the server's configuration errors (src/main.ts)", () => {
  /** Starts the server in its own process; resolves with its exit code and stderr once it exits. */
  async function startServer(env: Record<string, string>): Promise<{ code: number | null; err: string }> {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), join(root, "src/main.ts")],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          APP_ID: String(fake.appId),
          PRIVATE_KEY: TEST_PRIVATE_KEY,
          HOST: "127.0.0.1",
          PORT: "0",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (c) => {
      err += String(c);
    });
    const [code] = (await once(child, "exit")) as [number | null];
    return { code, err };
  }

  it("SWEEP_CRON=bogus stops startup with one line and exit 1, no stack", async () => {
    const { code, err } = await startServer({ WEBHOOK_SECRET: "s", SWEEP_CRON: "bogus" });
    expect(code).toBe(1);
    expect(err).toBe(
      'security-team: cannot start: SWEEP_CRON: cron "bogus": expected 5 fields (minute hour day month weekday), got 1: set a 5-field cron expression in UTC such as "0 * * * *", or "off"\n',
    );
  });

  // Without a secret Probot verifies signatures with its default, "development": anyone could sign
  // a webhook (a chair's `/publish`, a forged `membership` event) that the app would act on.
  it.each([
    ["unset", {}],
    ["empty", { WEBHOOK_SECRET: "" }],
    ["Probot's default", { WEBHOOK_SECRET: "development" }],
  ])("a webhook secret %s stops startup with one line", async (_what, env: Record<string, string>) => {
    const { code, err } = await startServer({ ...env, SWEEP_CRON: "bogus" });
    expect(code).toBe(1);
    expect(err).toBe(
      "security-team: cannot start: WEBHOOK_SECRET is not set: set it to the webhook secret in the app's settings (registration writes it to .env); without it anyone could forge webhooks\n",
    );
  });
});
