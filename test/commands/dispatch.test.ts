import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.js";
import { createTestApp } from "../helpers/app.js";
import { replyCharter } from "../helpers/charter.js";
import { APP_ID, APP_LOGIN, github, recordedWrites } from "../helpers/github.js";
import { payload, user } from "../helpers/payloads.js";

const COMMENTS = "/repos/django/security-reports/issues/1/comments";

function comment(body: string, login: string, type: "User" | "Bot" = "User", repo = "security-reports") {
  return payload(
    "issue_comment",
    "created",
    { comment: { id: 555, body, user: user(login, type) }, sender: user(login, type) },
    repo,
  );
}

/** The charter read, then the check for an earlier answer to comment 555. */
function expectDispatch(previousComments: unknown[] = []) {
  const scope = github();
  replyCharter(scope);
  return scope.get(COMMENTS).query(true).reply(200, previousComments);
}

describe("parseCommand", () => {
  it("reads the first line as the command and the rest as its body", () => {
    expect(parseCommand("/handoff @Alice now\nmore text")).toEqual({
      name: "handoff",
      args: ["@Alice", "now"],
      body: "more text",
    });
    expect(parseCommand("  /ACK")).toEqual({ name: "ack", args: [], body: "" });
    expect(parseCommand("please /claim")).toBeUndefined();
    expect(parseCommand("> /claim quoted")).toBeUndefined();
    expect(parseCommand(null)).toBeUndefined();
  });
});

describe("command dispatcher", () => {
  it("refuses a non-member with a clear reply", async () => {
    const app = await createTestApp();
    expectDispatch().post(COMMENTS).reply(201, {});
    await app.receive("issue_comment", comment("/claim", "stranger"));
    expect(recordedWrites()).toEqual([
      {
        method: "POST",
        path: COMMENTS,
        body: {
          body: "@stranger: refused. Only members of the security team listed in the charter can run `/claim`.\n\n<!-- security-team:reply:555 -->",
        },
      },
    ]);
  });

  it("answers /help and unknown commands with the command table", async () => {
    const app = await createTestApp();
    expectDispatch().post(COMMENTS).reply(201, {});
    await app.receive("issue_comment", comment("/frobnicate", "shaib"));
    const [write] = recordedWrites();
    expect((write?.body as { body: string }).body).toMatch(
      /^@shaib: unknown command `\/frobnicate`. Commands here:\n\n\| command \| what it does \| who \|/,
    );
  });

  it("ignores a redelivered comment it already answered", async () => {
    const app = await createTestApp();
    expectDispatch([
      {
        id: 9,
        body: "done\n\n<!-- security-team:reply:555 -->",
        user: user(APP_LOGIN, "Bot"),
        performed_via_github_app: { id: APP_ID },
      },
    ]);
    await app.receive("issue_comment", comment("/help", "shaib"));
    expect(recordedWrites()).toEqual([]);
  });

  it("does not trust a reply marker typed by someone else", async () => {
    const app = await createTestApp();
    expectDispatch([{ id: 9, body: "<!-- security-team:reply:555 -->", user: user("shaib") }])
      .post(COMMENTS)
      .reply(201, {});
    await app.receive("issue_comment", comment("/help", "shaib"));
    expect(recordedWrites()).toHaveLength(1);
  });

  it("refuses bots and ignores its own comments", async () => {
    const app = await createTestApp();
    expectDispatch().post(COMMENTS).reply(201, {});
    await app.receive("issue_comment", comment("/claim", "dependabot[bot]", "Bot"));
    expect((recordedWrites()[0]?.body as { body: string }).body).toMatch(/^@dependabot\[bot\]: refused/);

    await app.receive("issue_comment", comment("/claim", APP_LOGIN, "Bot"));
    expect(recordedWrites()).toHaveLength(1);
  });

  it("pauses commands while the charter is invalid", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope, "version: 2\n");
    scope
      .get("/repos/django/.github/issues/1/comments")
      .query(true)
      .reply(200, [])
      .post("/repos/django/.github/issues/1/comments")
      .reply(201, {});
    await app.receive("issue_comment", comment("/reaffirm", "shaib", "User", ".github"));
    expect((recordedWrites()[0]?.body as { body: string }).body).toMatch(/^Commands are paused: the charter/);
  });

  it("ignores comments outside the tracker and charter repositories", async () => {
    const app = await createTestApp();
    replyCharter(github());
    await app.receive("issue_comment", comment("/claim", "shaib", "User", "django"));
    expect(recordedWrites()).toEqual([]);
  });
});
