import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { CHARTER_CONTENTS_PATH, replyCharter } from "../helpers/charter.js";
import { github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { payload, user } from "../helpers/payloads.js";
import {
  ADVISORY_REPO,
  appComment,
  graphQLIssueNode,
  infoLog,
  replyIssueWithCharter,
  reportAdvisory,
  TRACKER,
  trackingIssueData,
} from "./fixtures.js";

const GHSA = "GHSA-aaaa-bbbb-cccc";
const issue = (assignees = ["jacobtylerwalls"]) =>
  trackingIssueData({
    number: 11,
    assignees,
    triager: "jacobtylerwalls",
    labels: ["security-report", "claim"],
  });

function labeled(sender: string, type: "User" | "Bot" = "User") {
  return payload("issues", "labeled", {
    issue: issue(),
    label: { name: "claim", color: "0e8a16" },
    sender: user(sender, type),
  });
}

function commented(body: string, sender: string, assignees = ["jacobtylerwalls"], commentId = 555) {
  return payload("issue_comment", "created", {
    issue: { ...issue(assignees), labels: [{ name: "security-report" }] },
    comment: { id: commentId, body, user: user(sender), created_at: "2026-11-22T11:00:00Z" },
    sender: user(sender),
  });
}

const advisoryWithOthers = () =>
  reportAdvisory({
    collaborating_users: [{ login: "outside-expert" }],
    collaborating_teams: [{ slug: "django-security-team" }],
  });

describe("claim by label", () => {
  it("makes a member the single owner and collaborator, removes the label and records it, in 5 requests", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue());
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["shaib"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("shaib"));

    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /graphql",
      `GET ${ADVISORY_REPO}/${GHSA}`,
      `PATCH ${TRACKER}/issues/11`,
      `PATCH ${ADVISORY_REPO}/${GHSA}`,
      `POST ${TRACKER}/issues/11/comments`,
    ]);
    expect(recordedWrites().map((w) => [`${w.method} ${w.path}`, w.body])).toEqual([
      [`PATCH ${TRACKER}/issues/11`, { assignees: ["shaib"], labels: ["security-report"] }],
      [`PATCH ${ADVISORY_REPO}/${GHSA}`, { collaborating_users: ["outside-expert", "shaib"] }],
      [
        `POST ${TRACKER}/issues/11/comments`,
        {
          body: "@shaib owns this report (was @jacobtylerwalls).\n\n<!-- security-team:owner:shaib -->\n<!-- security-team:ack -->",
        },
      ],
    ]);
  });

  it("acts on the issue as it is now, not as the event says: the owner named is the current one", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue(["felixxm"]));
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["shaib"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("shaib"));
    expect((recordedWrites().at(-1)?.body as { body: string }).body).toMatch(
      /^@shaib owns this report \(was @felixxm\)/,
    );
  });

  it("does nothing for a redelivered claim whose label is already gone", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, {
      ...issue(["shaib"]),
      labels: [{ id: 0, name: "security-report", color: "b60205" }],
    });
    await app.receive("issues", labeled("felixxm"));
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual(["POST /graphql"]);
  });

  it("does nothing when the issue is gone, or the charter is missing", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, null, { number: 11 });
    await app.receive("issues", labeled("shaib"));
    replyIssueWithCharter(scope, issue(), { charter: null });
    scope.get(CHARTER_CONTENTS_PATH).reply(404, { message: "Not Found" }); // REST finds none either
    await app.receive("issues", labeled("shaib"));
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /graphql",
      "POST /graphql",
      `GET ${CHARTER_CONTENTS_PATH}`,
    ]);
    expect(infoLog(app.logs)).toContain("the claimed issue is gone");
    expect(infoLog(app.logs)).toContain("the charter is missing or invalid");
  });

  it("trusts the issue only when GitHub says the app wrote it, not a user with the app's name", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue(), { author: { __typename: "User", login: "security-team" } });
    await app.receive("issues", labeled("shaib"));
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual(["POST /graphql"]);
  });

  it("ignores a claim label outside the tracker repository", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue(), { repo: "django" });
    await app.receive(
      "issues",
      payload(
        "issues",
        "labeled",
        { issue: issue(), label: { name: "claim", color: "0e8a16" }, sender: user("shaib") },
        "django",
      ),
    );
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual(["POST /graphql"]);
  });

  it("reads the charter over REST when GraphQL truncates it, and still claims", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue(), { charter: "members:\n  - login: sha", truncated: true });
    replyCharter(scope);
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["shaib"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("shaib"));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH ${TRACKER}/issues/11`,
      `PATCH ${ADVISORY_REPO}/${GHSA}`,
      `POST ${TRACKER}/issues/11/comments`,
    ]);
  });

  it("follows a charter that is a symlink over REST, as every other charter read does", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue(), { charter: "security/charter.yml", symlink: true });
    replyCharter(scope);
    scope.delete(`${TRACKER}/issues/11/labels/claim`).reply(200, []);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("mallory"));
    expect(
      recordedCalls()
        .map((c) => `${c.method} ${c.path}`)
        .slice(0, 2),
    ).toEqual(["POST /graphql", `GET ${CHARTER_CONTENTS_PATH}`]);
    expect(recordedWrites().map((w) => w.method)).toEqual(["DELETE", "POST"]);
  });

  it("reads over REST a charter GraphQL finds no file for (a symlinked directory on the path), and still claims", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue(), { charter: null });
    replyCharter(scope);
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["shaib"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("shaib"));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH ${TRACKER}/issues/11`,
      `PATCH ${ADVISORY_REPO}/${GHSA}`,
      `POST ${TRACKER}/issues/11/comments`,
    ]);
  });

  it("does nothing when the charter repository does not exist (GitHub's NOT_FOUND answer)", async () => {
    const app = await createTestApp();
    const scope = github();
    scope.post("/graphql").reply(200, {
      data: { charter: null, repository: { issue: graphQLIssueNode(issue()) } },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["charter"],
          locations: [{ line: 2, column: 3 }],
          message: "Could not resolve to a Repository with the name 'django/.github'.",
        },
      ],
    });
    await app.receive("issues", labeled("shaib"));
    expect(recordedCalls()).toHaveLength(1);
    expect(infoLog(app.logs)).toContain("the charter is missing or invalid");
  });

  it("changes nothing when GitHub fails the read (5xx, or a GraphQL error beside the data): the delivery fails", async () => {
    const app = await createTestApp();
    const scope = github();
    scope.post("/graphql").reply(502, { message: "Bad Gateway" });
    await expect(app.receive("issues", labeled("shaib"))).rejects.toThrow();
    scope.post("/graphql").reply(200, {
      data: { charter: null, repository: { issue: graphQLIssueNode(issue()) } },
      errors: [{ type: "FORBIDDEN", path: ["charter"], message: "Resource not accessible by integration" }],
    });
    await expect(app.receive("issues", labeled("shaib"))).rejects.toThrow(/Resource not accessible/);
    expect(recordedWrites()).toEqual([]);
  });

  it("waits out GraphQL's rate limit (a 200 saying RATE_LIMITED) and then claims", async () => {
    const app = await createTestApp();
    const scope = github();
    scope.post("/graphql").reply(
      200,
      {
        data: null,
        errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation." }],
      },
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1795000000" },
    );
    replyIssueWithCharter(scope, issue());
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["shaib"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("shaib"));
    expect(recordedWrites()).toHaveLength(3);
    expect(infoLog(app.logs)).toContain("GitHub rate limit; waiting before retrying");
  });

  it("changes nothing when the advisory cannot be read (5xx): the delivery fails and can be redelivered", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue());
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(502, { message: "Bad Gateway" });
    await expect(app.receive("issues", labeled("shaib"))).rejects.toThrow();
    expect(recordedWrites()).toEqual([]);
  });

  it("undoes a non-member's claim with a comment and changes nothing else, in 3 requests", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue());
    scope.delete(`${TRACKER}/issues/11/labels/claim`).reply(200, []);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("mallory"));
    expect(recordedCalls()).toHaveLength(3);
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `DELETE ${TRACKER}/issues/11/labels/claim`,
      `POST ${TRACKER}/issues/11/comments`,
    ]);
    expect((recordedWrites()[1]?.body as { body: string }).body).toBe(
      "@mallory: only members of the security team listed in the charter can own a report, so the `claim` label was removed. Nothing else changed.",
    );
  });

  it("refuses a bot even when its login is a member's", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue());
    scope.delete(`${TRACKER}/issues/11/labels/claim`).reply(200, []);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issues", labeled("shaib", "Bot"));
    expect(recordedWrites().map((w) => w.method)).toEqual(["DELETE", "POST"]);
  });

  it("ignores other labels, and issues the app did not write without a request", async () => {
    const app = await createTestApp();
    const scope = github();
    replyIssueWithCharter(scope, issue());
    await app.receive("issues", { ...labeled("shaib"), label: { name: "bug" } });
    await app.receive(
      "issues",
      payload("issues", "labeled", {
        issue: trackingIssueData({ number: 12, author: "mallory", labels: ["claim"] }),
        label: { name: "claim" },
        sender: user("shaib"),
      }),
    );
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual(["POST /graphql"]);
    expect(recordedWrites()).toEqual([]);
  });
});

describe("report commands", () => {
  function answered(scope: ReturnType<typeof github>) {
    replyCharter(scope);
    scope.get(`${TRACKER}/issues/11/comments`).query(true).reply(200, []);
  }
  const reply = () =>
    (recordedWrites().find((w) => w.path === `${TRACKER}/issues/11/comments`)?.body as { body: string }).body;

  it("/claim makes the sender the owner and acknowledges", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["felixxm"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issue_comment", commented("/claim", "felixxm"));
    expect(recordedWrites().map((w) => w.body)).toEqual([
      { assignees: ["felixxm"] },
      { collaborating_users: ["outside-expert", "felixxm"] },
      {
        body: "@felixxm owns this report (was @jacobtylerwalls).\n\n<!-- security-team:owner:felixxm -->\n<!-- security-team:ack -->\n\n<!-- security-team:reply:555 -->",
      },
    ]);
  });

  it("/handoff to a member moves ownership; to a non-member it is refused and nothing changes", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.get(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue(["shaib"]));
    scope.patch(`${ADVISORY_REPO}/${GHSA}`).reply(200, advisoryWithOthers());
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issue_comment", commented("/handoff @shaib", "jacobtylerwalls"));
    expect(reply()).toContain(
      "@shaib owns this report (was @jacobtylerwalls), handed off by @jacobtylerwalls.",
    );

    const before = recordedWrites().length;
    answered(scope);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(2, "x"));
    await app.receive("issue_comment", commented("/handoff @mallory", "jacobtylerwalls"));
    const writes = recordedWrites().slice(before);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${TRACKER}/issues/11/comments`]);
    expect((writes[0]?.body as { body: string }).body).toContain(
      "@jacobtylerwalls: refused. @mallory is not a member of the security team listed in the charter",
    );
  });

  it("/handoff by someone who is neither the owner nor a chair is refused", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issue_comment", commented("/handoff @charettes", "felixxm"));
    expect(recordedWrites()).toHaveLength(1);
    expect(reply()).toContain("refused. Only the owner (@jacobtylerwalls) or a chair");
  });

  it("/release by the owner leaves the report without an owner and calls the triagers", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.patch(`${TRACKER}/issues/11`).reply(200, issue([]));
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issue_comment", commented("/release", "jacobtylerwalls"));
    expect(recordedWrites()[0]?.body).toEqual({ assignees: [] });
    expect(reply()).toContain(
      "@jacobtylerwalls no longer owns this report (released by @jacobtylerwalls). @jacobtylerwalls @shaib @felixxm: it needs an owner",
    );
  });

  it("/ack writes the ack milestone once", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.get(`${TRACKER}/issues/11/comments`).query({ per_page: "100" }).reply(200, []);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issue_comment", commented("/ack", "shaib"));
    expect(reply()).toBe(
      "Acknowledged by @shaib.\n\n<!-- security-team:ack -->\n\n<!-- security-team:reply:555 -->",
    );

    answered(scope);
    scope
      .get(`${TRACKER}/issues/11/comments`)
      .query({ per_page: "100" })
      .reply(200, [appComment(1, "Acknowledged by @shaib.\n\n<!-- security-team:ack -->")]);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(2, "x"));
    await app.receive("issue_comment", commented("/ack", "felixxm", undefined, 556));
    expect((recordedWrites()[1]?.body as { body: string }).body).toContain(
      "This report was already acknowledged.",
    );
  });

  it("answers /claim outside a tracking issue without changing anything", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    const event = commented("/claim", "shaib");
    await app.receive("issue_comment", {
      ...event,
      issue: trackingIssueData({ number: 11, author: "mallory" }),
    });
    expect(recordedWrites()).toHaveLength(1);
    expect(reply()).toContain("`/claim` works only in a tracking issue the app opened for an advisory.");
  });

  it("refuses a non-member and lists the commands for /help", async () => {
    const app = await createTestApp();
    const scope = github();
    answered(scope);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(1, "x"));
    await app.receive("issue_comment", commented("/claim", "mallory"));
    expect(reply()).toContain("@mallory: refused.");

    answered(scope);
    scope.post(`${TRACKER}/issues/11/comments`).reply(201, appComment(2, "x"));
    await app.receive("issue_comment", commented("/help", "shaib"));
    const help = (recordedWrites()[1]?.body as { body: string }).body;
    await expect(help.replace(/\n\n<!--.*-->$/, "")).toMatchFileSnapshot("__golden__/help.md");
  });
});
