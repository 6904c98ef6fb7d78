import { afterEach, beforeEach, expect, it } from "vitest";
import { type AppServer, as, FakeGitHub, startAppServer } from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";

/** A missing permission is named in the log, from GitHub's X-Accepted-GitHub-Permissions header. */

const TRACKER = "django/security-reports";
let fake: FakeGitHub;
let app: AppServer;

beforeEach(async () => {
  fake = new FakeGitHub({ now: () => new Date("2026-11-22T12:00:00Z") });
  await fake.start();
  fake.addOrg("django");
  fake.addRepo("django/.github");
  fake.setFile("django/.github", ".github/security-charter.yml", EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addIssue(TRACKER, { title: "Report", author: fake.botLogin });
  app = await startAppServer(fake, {
    env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z" },
    privateKey: TEST_PRIVATE_KEY,
  });
});

afterEach(async () => {
  await app.stop();
  await fake.stop();
});

const logged = (msg: string) =>
  app.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);

it("names the permission a refused write needed", async () => {
  fake.denyPermission("POST", /\/issues\/\d+\/comments$/, "issues=write; pull_requests=write");

  const [delivery] = await Promise.all(
    as(fake, "shaib")
      .comment(TRACKER, 1, "/help")
      .map((e) => app.send(e)),
  );
  expect(delivery?.status).toBe(500); // a failed write fails the delivery, so it can be redelivered

  expect(logged("github write failed")).toEqual([
    expect.objectContaining({
      action: "issue.comment",
      status: 403,
      error: "Resource not accessible by integration - https://docs.github.com/rest",
      permissions: "issues=write; pull_requests=write",
    }),
  ]);
});

it("names the permission a refused read needed", async () => {
  fake.denyPermission("GET", /\/issues\/\d+\/comments$/, "issues=read");

  const [event] = as(fake, "shaib").comment(TRACKER, 1, "/help");
  const delivery = event && (await app.send(event));

  expect(delivery?.status).toBe(403); // Probot answers with the failed request's status
  expect(logged("handler failed")).toEqual([
    expect.objectContaining({
      handler: "commands",
      err: expect.objectContaining({ status: 403, permissions: "issues=read" }),
    }),
  ]);
});
