import { afterEach, expect, it } from "vitest";
import { type AppServer, as, FakeGitHub, startAppServer } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

/** `/metrics` in one process (no Redis): webhook answers and GitHub requests, behind METRICS_TOKEN. */

const TRACKER = "django/security-reports";
let fake: FakeGitHub;
let app: AppServer;

async function start(env: NodeJS.ProcessEnv) {
  fake = new FakeGitHub({ now: () => new Date("2026-11-22T12:00:00Z") });
  await fake.start();
  fake.addOrg("django");
  fake.addRepo("django/.github");
  fake.setFile("django/.github", ".github/security-charter.yml", EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addIssue(TRACKER, { title: "Report", author: fake.botLogin });
  app = await startAppServer(fake, {
    env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z", SWEEP_CRON: "off", ...env },
    privateKey: TEST_PRIVATE_KEY,
  });
}

afterEach(async () => {
  await app?.stop();
  await fake?.stop();
});

it("counts webhook answers and GitHub requests per installation, for the token's holder", async () => {
  await start({ METRICS_TOKEN: "scrape-token" });
  await app.deliver(as(fake, "shaib").comment(TRACKER, 1, "/help"));
  const response = await fetch(`${app.url}/metrics`, { headers: { authorization: "Bearer scrape-token" } });
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0.0.4/);
  const text = await response.text();
  expect(text).toMatch(/^security_team_webhooks_total\{event="issue_comment.created",status="200"\} 1$/m);
  expect(text).toMatch(
    /^security_team_github_requests_total\{installation="django",method="POST",status="201"\} \d+$/m,
  );
  expect(text).not.toMatch(/^security_team_jobs_total\{/m); // no queue in one process
});

it("is not served at all without METRICS_TOKEN", async () => {
  await start({});
  expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
});
