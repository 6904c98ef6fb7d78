import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { marker } from "../../src/core/markers.js";
import { planDrift } from "../../src/membership/drift.js";
import { createTestApp } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT, exampleCharter, replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { payload, user } from "../helpers/payloads.js";
import { membership, TEAM_PATH } from "./team.js";

const ISSUES = "/repos/django/.github/issues";

function membershipEvent(
  action: "added" | "removed",
  login: string,
  sender = "orgowner",
  slug = "django-security-team",
) {
  return payload(action === "added" ? "membership" : "membership", action, {
    scope: "team",
    member: user(login),
    sender: user(sender),
    team: { slug, name: slug },
  });
}

/** No drift issue from an earlier delivery yet. */
function replyNoIssues(scope: ReturnType<typeof github>) {
  return scope.get(ISSUES).query(true).reply(200, []);
}

function createdIssue(seen: { body?: Record<string, unknown> }) {
  return (body: Record<string, unknown>) => {
    seen.body = body;
    return true;
  };
}

const issueReply = () => exampleResponse("issues/create", "201") as Record<string, unknown>;

describe("drift: a team changed by hand", () => {
  it("revert: puts back a charter member removed by hand and opens an issue saying how to change membership", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyNoIssues(scope);
    scope
      .put(`${TEAM_PATH}/memberships/jacobtylerwalls`, { role: "maintainer" })
      .reply(200, membership("maintainer"))
      .post(ISSUES, createdIssue(seen))
      .reply(201, issueReply());
    const id = randomUUID();
    await app.probot.receive({
      id,
      name: "membership",
      payload: membershipEvent("removed", "JacobTylerWalls"),
    } as never);
    expect(recordedWrites().map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT ${TEAM_PATH}/memberships/jacobtylerwalls`,
      `POST ${ISSUES}`,
    ]);
    expect(seen.body).toMatchObject({
      title: "Team django/django-security-team changed by hand: @JacobTylerWalls removed",
      labels: [],
      assignees: [],
    });
    const body = String(seen.body?.body);
    expect(body).toContain(marker(`drift:${id}`));
    await expect(body.replace(id, "DELIVERY")).toMatchFileSnapshot("__golden__/drift-revert-removed.md");
    // The issue list was filtered to the app's own recent issues.
    const list = recordedCalls().find((c) => c.method === "GET" && c.path.startsWith(ISSUES));
    expect(new URL(list?.path ?? "", "https://x").searchParams.get("creator")).toBe(APP_LOGIN);
  });

  it("revert: removes someone added by hand who is not in the charter", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyNoIssues(scope);
    scope
      .delete(`${TEAM_PATH}/memberships/intruder`)
      .reply(204)
      .post(ISSUES, createdIssue(seen))
      .reply(201, issueReply());
    await app.receive("membership", membershipEvent("added", "intruder"));
    expect(recordedWrites().map((c) => `${c.method} ${c.path}`)).toEqual([
      `DELETE ${TEAM_PATH}/memberships/intruder`,
      `POST ${ISSUES}`,
    ]);
    expect(String(seen.body?.body)).toContain(
      "@orgowner added @intruder to the team `django/django-security-team` by hand, but @intruder is not in the charter.",
    );
    expect(String(seen.body?.body)).toContain("**Reverted:** the app removed @intruder from the team again");
  });

  it("report: only opens the issue, the team is left as it is", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope, EXAMPLE_CHARTER_TEXT.replace("drift: revert", "drift: report"));
    replyNoIssues(scope);
    scope.post(ISSUES, createdIssue(seen)).reply(201, issueReply());
    await app.receive("membership", membershipEvent("added", "intruder"));
    expect(recordedWrites().map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${ISSUES}`]);
    await expect(String(seen.body?.body).replace(/drift:[0-9a-f-]+/, "drift:DELIVERY")).toMatchFileSnapshot(
      "__golden__/drift-report-added.md",
    );
  });

  it("ignores the app's own changes (its sync and reverts)", async () => {
    const app = await createTestApp();
    github();
    await app.receive("membership", membershipEvent("added", "intruder", APP_LOGIN));
    await app.receive("membership", membershipEvent("removed", "shaib", APP_LOGIN));
    expect(recordedCalls()).toEqual([]);
  });

  it("does nothing when the change agrees with the charter, or concerns another team", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope);
    await app.receive("membership", membershipEvent("added", "NewPerson"));
    replyCharter(scope);
    await app.receive("membership", membershipEvent("removed", "formermember"));
    replyCharter(scope);
    await app.receive("membership", membershipEvent("removed", "shaib", "orgowner", "django-core"));
    expect(recordedWrites()).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("does nothing on a charter that fails validation", async () => {
    const app = await createTestApp();
    const scope = github();
    replyCharter(scope, "version: 2\n");
    await app.receive("membership", membershipEvent("added", "intruder"));
    expect(recordedWrites()).toEqual([]);
  });

  it("a repeated delivery finds its issue and changes nothing", async () => {
    const app = await createTestApp();
    const id = randomUUID();
    const scope = github();
    replyCharter(scope);
    const earlier = {
      ...issueReply(),
      user: user(APP_LOGIN, "Bot"),
      body: `…\n\n${marker(`drift:${id}`)}`,
    };
    scope.get(ISSUES).query(true).reply(200, [earlier]);
    await app.probot.receive({
      id,
      name: "membership",
      payload: membershipEvent("removed", "shaib"),
    } as never);
    expect(recordedWrites()).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it("a marker in someone else's issue does not count", async () => {
    const app = await createTestApp();
    const id = randomUUID();
    const scope = github();
    replyCharter(scope);
    const forged = { ...issueReply(), user: user("mallory"), body: marker(`drift:${id}`) };
    scope
      .get(ISSUES)
      .query(true)
      .reply(200, [forged])
      .put(`${TEAM_PATH}/memberships/shaib`, { role: "member" })
      .reply(200, membership("member"))
      .post(ISSUES)
      .reply(201, issueReply());
    await app.probot.receive({
      id,
      name: "membership",
      payload: membershipEvent("removed", "shaib"),
    } as never);
    expect(recordedWrites()).toHaveLength(2);
  });
});

describe("planDrift", () => {
  const event = { sender: "orgowner", deliveryId: "d1" };
  it("agrees with the charter: a member added, a non-member removed (any case)", () => {
    expect(planDrift(exampleCharter(), { ...event, change: "added", login: "SHAIB" })).toEqual({
      agrees: true,
    });
    expect(planDrift(exampleCharter(), { ...event, change: "removed", login: "someone" })).toEqual({
      agrees: true,
    });
  });

  it("under max_removals: 0 reports an addition instead of removing, but still puts members back", () => {
    const charter = exampleCharter();
    charter.policy.sync.max_removals = 0;
    expect(planDrift(charter, { ...event, change: "added", login: "intruder" })).toEqual({ agrees: false });
    expect(planDrift(charter, { ...event, change: "removed", login: "Shaib" })).toMatchObject({
      revert: { kind: "team.add", login: "shaib", role: "member" },
    });
  });
});

describe("drift revert that GitHub refuses", () => {
  it("says so in the issue instead of claiming the revert", async () => {
    const app = await createTestApp();
    const seen: { body?: Record<string, unknown> } = {};
    const scope = github();
    replyCharter(scope);
    replyNoIssues(scope);
    scope
      .put(`${TEAM_PATH}/memberships/shaib`)
      .reply(403, { message: "Team membership is managed by an identity provider" })
      .post(ISSUES, createdIssue(seen))
      .reply(201, issueReply());
    // The failed revert fails the delivery (so it shows as failed and can be redelivered).
    await expect(app.receive("membership", membershipEvent("removed", "shaib"))).rejects.toThrow();
    expect(String(seen.body?.body)).toContain("**Revert failed:**");
  });
});
