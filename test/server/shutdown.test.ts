import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { gracefulStop, onShutdown } from "../../src/shutdown.js";
import { type AppServer, as, FakeGitHub, startAppServer } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

const TRACKER = "django/security-reports";
const quiet = { info: () => {}, error: () => {} };
let fake: FakeGitHub;

beforeEach(async () => {
  fake = new FakeGitHub({ now: () => new Date("2026-11-22T12:00:00Z") });
  await fake.start();
  fake.addOrg("django");
  fake.addRepo("django/.github");
  fake.setFile("django/.github", ".github/security-charter.yml", EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addIssue(TRACKER, { title: "Report", author: fake.botLogin });
});

afterEach(async () => {
  await fake.stop();
});

describe("graceful stop", () => {
  let app: AppServer;
  beforeEach(async () => {
    app = await startAppServer(fake, {
      env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z" },
      privateKey: TEST_PRIVATE_KEY,
    });
  });

  it("lets a webhook in flight finish, then stops accepting and exits 0", async () => {
    const exit = vi.fn();
    const delivering = app.deliver(as(fake, "shaib").comment(TRACKER, 1, "/help"));
    await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(0)); // the app is handling it

    await gracefulStop(app.server, { log: quiet, exit })();

    const [delivery] = await delivering;
    expect(delivery?.status).toBe(200);
    expect(fake.issue(TRACKER, 1).comments.map((c) => c.user.login)).toEqual(["shaib", "security-team[bot]"]);
    expect(exit).toHaveBeenCalledWith(0);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });

  it("waits for registered shutdown work (a running sweep) before exiting", async () => {
    const exit = vi.fn();
    let finishSweep = () => {};
    const sweep = new Promise<void>((resolve) => {
      finishSweep = resolve;
    });
    const unregister = onShutdown(() => sweep);

    const stopping = gracefulStop(app.server, { log: quiet, exit })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const exitedBeforeSweepEnded = exit.mock.calls.length > 0;
    finishSweep();
    await stopping;
    unregister();

    expect(exitedBeforeSweepEnded).toBe(false);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("exits 1 when the server does not stop within the grace period", async () => {
    const exit = vi.fn();
    const stuck = { stop: () => new Promise<void>(() => {}) };

    void gracefulStop(stuck, { log: quiet, exit, graceMs: 20 })();

    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
    await app.stop();
  });
});

describe("the production entry point (src/main.ts)", () => {
  it("serves /healthz and stops cleanly on SIGTERM", async () => {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const [host, fakePort] = fake.baseUrl.replace("http://", "").split(":");
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        PATH: process.env.PATH,
        APP_ID: String(fake.appId),
        PRIVATE_KEY: TEST_PRIVATE_KEY,
        WEBHOOK_SECRET: "secret",
        GHE_HOST: `${host}:${fakePort}`,
        GHE_PROTOCOL: "http",
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += String(chunk);
    });
    await vi.waitFor(() => expect(output).toContain("Listening on"), { timeout: 15_000 });

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");

    expect(health.status).toBe(200);
    expect(output).toContain("Server stopped");
    expect(code).toBe(0);
  });
});
