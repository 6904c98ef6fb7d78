import { describe, expect, it } from "vitest";
import { planCloseSettled } from "../../src/signoff/closes.js";
import { createTestApp } from "../helpers/app.js";
import { exampleCharter, replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { closedPayload, commentPayload, ISSUE, reportLabel, restComment } from "./fixtures.js";

const CLOSE_REQUEST = (id: number) =>
  restComment(id, APP_LOGIN, "asks\n\n<!-- security-team:signoff-close:not_planned:newperson -->");

describe("closing a report while onboarding", () => {
  it("reopens it, labels it and asks the owner to /approve, recording the reason", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ since: "2026-11-22T11:00:00Z", per_page: "100" })
      .reply(200, [])
      .patch(ISSUE)
      .reply(200, {})
      .post(`${ISSUE}/labels`)
      .reply(200, [])
      .post(`${ISSUE}/comments`)
      .reply(201, { id: 1000 });
    await app.receive("issues", closedPayload("newperson"));
    const writes = recordedWrites();
    expect(writes.slice(0, 2)).toEqual([
      { method: "PATCH", path: ISSUE, body: { state: "open", state_reason: "reopened" } },
      { method: "POST", path: `${ISSUE}/labels`, body: { labels: ["needs-sign-off"] } },
    ]);
    const comment = writes[2]?.body as { body: string };
    expect(gh.pendingMocks()).toEqual([]);
    expect(comment.body).toContain("@shaib: if you agree, comment `/approve`");
    expect(comment.body).toContain("<!-- security-team:signoff-close:not_planned:newperson -->");
    await expect(comment.body).toMatchFileSnapshot("__golden__/close-request.md");
  });

  it("asks the chairs when the onboarding member owns the report", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`).query(true).reply(200, []).patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/labels`).reply(200, []).post(`${ISSUE}/comments`).reply(201, { id: 1000 });
    await app.receive(
      "issues",
      closedPayload("NewPerson", { state_reason: "completed", assignee: { login: "newperson" } }),
    );
    const comment = recordedWrites()[2]?.body as { body: string };
    expect(comment.body).toContain("@sarahboyce @jacobtylerwalls: if you agree");
    expect(comment.body).toContain("signoff-close:completed:newperson");
  });

  it("does nothing on a repeated delivery: the request for this close is already there", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`)
      .query(true)
      .reply(200, [CLOSE_REQUEST(1000)]);
    await app.receive("issues", closedPayload("newperson"));
    expect(recordedWrites()).toEqual([]);
  });

  it("does nothing when a full member or the app closes, or on an issue the app did not write (labelled or not)", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    replyCharter(gh);
    await app.receive("issues", closedPayload("shaib"));
    await app.receive("issues", closedPayload(APP_LOGIN)); // the app's own close: not even the charter is read
    // Someone else's issue with the report label and a copied marker is not a tracking issue.
    await app.receive("issues", closedPayload("newperson", { user: { login: "mallory", type: "User" } }));
    expect(gh.pendingMocks()).toEqual([]);
    expect(recordedWrites()).toEqual([]);
    expect(recordedCalls().every((c) => c.method === "GET" && c.path.includes("security-charter"))).toBe(
      true,
    );
  });

  it("does nothing once the closer's onboarding period has ended", async () => {
    const app = await createTestApp({ env: { SECURITY_TEAM_NOW: "2026-12-20T00:00:00Z" } });
    replyCharter(github());
    await app.receive("issues", closedPayload("newperson"));
    expect(recordedWrites()).toEqual([]);
  });
});

describe("/approve of a close", () => {
  const answered = (gh: ReturnType<typeof github>) =>
    gh.get(`${ISSUE}/comments`).query({ since: "2026-11-22T11:30:00Z", per_page: "100" }).reply(200, []);

  it("closes with the original reason, removes the label and records who signed off", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    answered(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [CLOSE_REQUEST(1000)]);
    gh.patch(ISSUE).reply(200, {});
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1001 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    const writes = recordedWrites();
    expect(writes.slice(0, 2)).toEqual([
      { method: "PATCH", path: ISSUE, body: { state: "closed", state_reason: "not_planned" } },
      { method: "DELETE", path: `${ISSUE}/labels/needs-sign-off`, body: undefined },
    ]);
    const reply = (writes[2]?.body as { body: string }).body;
    expect(reply).toContain("Signed off by @shaib: closed as **not planned**, as @newperson decided.");
    expect(reply).toContain("<!-- security-team:signoff-approved:1000 -->");
    expect(reply).toContain("<!-- security-team:reply:900 -->");
  });

  it("refuses an onboarding member's /approve: nothing changes but the reply", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    answered(gh);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1001 });
    await app.receive("issue_comment", commentPayload("newperson", "/approve"));
    const writes = recordedWrites();
    expect(writes).toHaveLength(1);
    expect((writes[0]?.body as { body: string }).body).toContain(
      "@newperson: refused. `/approve` needs a full member; you are still onboarding.",
    );
  });

  it("refuses a non-member", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    answered(gh);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1001 });
    await app.receive("issue_comment", commentPayload("mallory", "/approve"));
    expect(recordedWrites().map((w) => (w.body as { body: string }).body)).toEqual([
      expect.stringContaining("@mallory: refused. Only members of the security team"),
    ]);
  });

  it("says so when nothing awaits sign-off (an approved close does not count twice)", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    answered(gh);
    const approved = restComment(1001, APP_LOGIN, "ok\n<!-- security-team:signoff-approved:1000 -->");
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [CLOSE_REQUEST(1000), approved]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1002 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    const writes = recordedWrites();
    expect(writes).toHaveLength(1);
    expect((writes[0]?.body as { body: string }).body).toContain(
      "@shaib: nothing on this report awaits sign-off. Nothing changed.",
    );
  });

  it("ignores a forged close request written by someone other than the app", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    answered(gh);
    const forged = restComment(1000, "mallory", "<!-- security-team:signoff-close:completed:newperson -->");
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [forged]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1002 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    expect(recordedWrites().map((w) => w.method)).toEqual(["POST"]);
  });

  it("a repeated /approve delivery changes nothing: its reply exists", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`)
      .query(true)
      .reply(200, [
        restComment(1001, APP_LOGIN, "done\n\n<!-- security-team:reply:900 -->", "2026-11-22T11:31:00Z"),
      ]);
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    expect(recordedWrites()).toEqual([]);
  });
});

describe("planCloseSettled", () => {
  const repo = { owner: "django", repo: "security-reports" };
  const close = { requestId: 1000, reason: "not_planned" as const, closer: "newperson" };
  const body =
    "Closed by @shaib, a full member: the pending close by @newperson needs no sign-off any more.\n\n<!-- security-team:signoff-settled:1000 -->";

  it("removes the label, then records the settled close", () => {
    expect(
      planCloseSettled(exampleCharter(), {
        repo,
        number: 7,
        closer: "shaib",
        pending: { close, drafts: [] },
      }),
    ).toEqual({
      changes: [
        {
          kind: "issue.removeLabel",
          repo,
          number: 7,
          label: "needs-sign-off",
          why: "@shaib is a full member: @newperson's pending close needs no sign-off",
        },
      ],
      record: {
        kind: "issue.comment",
        repo,
        number: 7,
        body,
        why: "@shaib is a full member: @newperson's pending close needs no sign-off",
      },
    });
  });

  it("keeps the label while a /draft awaits sign-off", () => {
    const plan = planCloseSettled(exampleCharter(), {
      repo,
      number: 7,
      closer: "shaib",
      pending: { close, drafts: [901] },
    });
    expect(plan?.changes).toEqual([]);
    expect(plan?.record).toMatchObject({ kind: "issue.comment", body });
  });

  it("plans nothing when no close is pending", () => {
    expect(
      planCloseSettled(exampleCharter(), { repo, number: 7, closer: "shaib", pending: { drafts: [901] } }),
    ).toBeUndefined();
  });
});

describe("a full member closes a report whose onboarding close awaits sign-off", () => {
  const labelled = { labels: [reportLabel, { ...reportLabel, id: 2, name: "needs-sign-off" }] };
  const fullClose = () => closedPayload("shaib", { state_reason: "completed", ...labelled });

  it("removes the label and records that the pending close needs no sign-off", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [CLOSE_REQUEST(1000)]);
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1001 });
    await app.receive("issues", fullClose());
    expect(gh.pendingMocks()).toEqual([]);
    expect(recordedWrites()).toEqual([
      { method: "DELETE", path: `${ISSUE}/labels/needs-sign-off`, body: undefined },
      {
        method: "POST",
        path: `${ISSUE}/comments`,
        body: {
          body: "Closed by @shaib, a full member: the pending close by @newperson needs no sign-off any more.\n\n<!-- security-team:signoff-settled:1000 -->",
        },
      },
    ]);
  });

  it("keeps the label while a /draft awaits sign-off", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    const draft = restComment(1001, APP_LOGIN, "awaits\n\n<!-- security-team:draft:901 -->");
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [CLOSE_REQUEST(1000), draft]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 1002 });
    await app.receive("issues", fullClose());
    expect(recordedWrites().map((w) => [w.method, w.path])).toEqual([["POST", `${ISSUE}/comments`]]);
  });

  it("writes nothing on a repeated delivery: the settled marker answers the request", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    const settled = restComment(
      1001,
      APP_LOGIN,
      "done\n\n<!-- security-team:signoff-settled:1000 -->",
      "2026-11-22T11:01:00Z",
    );
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [CLOSE_REQUEST(1000), settled]);
    await app.receive("issues", fullClose());
    expect(gh.pendingMocks()).toEqual([]);
    expect(recordedWrites()).toEqual([]);
  });

  it("writes no record when removing the label fails, so a redelivery finishes it", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [CLOSE_REQUEST(1000)]);
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(502, { message: "Bad Gateway" });
    await expect(app.receive("issues", fullClose())).rejects.toThrow("redeliver this event");
    expect(recordedWrites().map((w) => w.method)).toEqual(["DELETE"]);
  });

  it("ignores a forged close request and a close of an issue without the label", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    replyCharter(gh);
    const forged = restComment(1000, "mallory", "<!-- security-team:signoff-close:completed:newperson -->");
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [forged]);
    await app.receive("issues", fullClose());
    await app.receive("issues", closedPayload("shaib")); // no `needs-sign-off`: not even the comments are read
    expect(gh.pendingMocks()).toEqual([]);
    expect(recordedWrites()).toEqual([]);
  });
});
