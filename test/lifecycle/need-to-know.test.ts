import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { canConfirm, invitations } from "../../src/lifecycle/need-to-know.js";
import { advisoryRepoMarker, ghsaMarker } from "../../src/reports/tracking-markers.js";
import { createTestApp } from "../helpers/app.js";
import { charterText, EXAMPLE_CHARTER_TEXT, exampleCharter, replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, github, recordedWrites } from "../helpers/github.js";
import { advisory, payload, user } from "../helpers/payloads.js";

// Example charter: shaib (Platonix), felixxm (Independent), jacobtylerwalls and nessita (Django Software
// Foundation), newperson (Acme, onboarding).
const GHSA = "GHSA-abcd-efgh-ijkl";
const ISSUE = 12;
const COMMENTS = `/repos/django/security-reports/issues/${ISSUE}/comments`;
const ADVISORY = `/repos/django/django/security-advisories/${GHSA}`;
const TRACKING_BODY = `New report.\n\n${ghsaMarker(GHSA)}\n${advisoryRepoMarker("django", "django")}`;

let nextId = 1000;
function command(sender: string, body: string, issueBody = TRACKING_BODY) {
  const id = nextId++;
  return payload("issue_comment", "created", {
    issue: { number: ISSUE, body: issueBody, user: user(APP_LOGIN, "Bot"), state: "open" },
    comment: { id, body, user: user(sender), created_at: "2026-11-22T11:59:00Z" },
    sender: user(sender),
  });
}

/** An earlier reply of the app on the tracking issue (what `/invite` etc. wrote). */
function appReply(id: number, body: string) {
  return { id, body, user: user(APP_LOGIN, "Bot"), created_at: "2026-11-20T10:00:00Z" };
}

const INVITE_BY_SHAIB = appReply(1, "@shaib asks…\n\n<!-- security-team:invite:expert:shaib -->");
const INVITE_BY_JACOB = appReply(2, "@jacob asks…\n\n<!-- security-team:invite:expert:jacobtylerwalls -->");

/** Charter read, the dispatcher's duplicate check (comments since the command), and the issue's replies. */
function scope(existingReplies: unknown[] = [], text = EXAMPLE_CHARTER_TEXT) {
  const gh = github();
  replyCharter(gh, text);
  gh.get(COMMENTS)
    .query((q) => "since" in q)
    .reply(200, []);
  gh.get(COMMENTS)
    .query((q) => !("since" in q))
    .reply(200, existingReplies);
  return gh;
}

function replyBody(): string {
  const posts = recordedWrites().filter((w) => w.method === "POST" && w.path === COMMENTS);
  expect(posts).toHaveLength(1);
  return (posts[0]?.body as { body: string }).body;
}

describe("need to know: pure rules", () => {
  const charter = exampleCharter();
  it("the last marker for a login wins", () => {
    const state = invitations([
      "<!-- security-team:invite:expert:shaib -->",
      "<!-- security-team:invited:expert:shaib:felixxm -->",
      "<!-- security-team:uninvited:expert -->",
      "<!-- security-team:invite:expert:charettes -->",
      "<!-- security-team:invite:other:shaib -->",
    ]);
    expect(state.get("expert")).toEqual({ state: "pending", requester: "charettes" });
    expect(state.get("other")).toEqual({ state: "pending", requester: "shaib" });
  });
  it("confirmation needs another person of another known affiliation", () => {
    expect(canConfirm(charter, "shaib", "felixxm")).toEqual({ ok: true });
    expect(canConfirm(charter, "shaib", "SHAIB")).toMatchObject({ ok: false });
    expect(canConfirm(charter, "jacobtylerwalls", "nessita")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("Django Software Foundation"),
    });
    const noAffiliation = {
      ...charter,
      members: charter.members.map((m) => (m.login === "charettes" ? { ...m, affiliation: undefined } : m)),
    };
    expect(canConfirm(noAffiliation, "shaib", "charettes")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no affiliation for @charettes"),
    });
  });

  it.each([
    "—",
    "?",
    " . ",
  ])("a placeholder affiliation (%j) is no affiliation: it cannot confirm as another organisation", (placeholder) => {
    const withPlaceholder = {
      ...charter,
      members: charter.members.map((m) => (m.login === "felixxm" ? { ...m, affiliation: placeholder } : m)),
    };
    expect(canConfirm(withPlaceholder, "shaib", "felixxm")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no affiliation for @felixxm"),
    });
  });
});

describe("/invite", () => {
  it("records a pending invitation and changes nothing on the advisory", async () => {
    const app = await createTestApp();
    const gh = scope();
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("shaib", "/invite @Expert"));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${COMMENTS}`]);
    const body = replyBody();
    expect(body).toContain("@shaib asks to bring @Expert into this report on a need-to-know basis.");
    expect(body).toContain("a member of another organisation than Platonix replies `/confirm @Expert`");
    expect(body).toContain("<!-- security-team:invite:expert:shaib -->");
    expect(gh.isDone()).toBe(true);
  });

  it("refuses to invite a member of the team", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS).query(true).reply(200, []);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("shaib", "/invite @felixxm"));
    expect(replyBody()).toMatch(
      /^@shaib: refused: @felixxm is a member of the security team and already sees every report\.\n\n<!-- security-team:reply:\d+ -->$/,
    );
  });

  it("refuses on an issue that is not an app-written tracking issue", async () => {
    const app = await createTestApp();
    const gh = scope();
    gh.post(COMMENTS).reply(201, { id: 1 });
    const event = command("shaib", "/invite @expert");
    (event as { issue: { user: unknown } }).issue.user = user("shaib");
    await app.receive("issue_comment", event);
    expect(replyBody()).toContain("refused: this is not a tracking issue the app opened for an advisory.");
  });

  it("answers a malformed login with the usage", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS).query(true).reply(200, []);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("shaib", "/invite @not_a/login"));
    expect(replyBody()).toContain("@shaib: usage: `/invite @login`");
  });

  it("is refused to non-members by the dispatcher", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS).query(true).reply(200, []);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("mallory", "/invite @expert"));
    expect(replyBody()).toContain("@mallory: refused. Only members of the security team");
    expect(recordedWrites()).toHaveLength(1);
  });
});

describe("/confirm", () => {
  it("adds the expert to the advisory's collaborating users, keeping the others, and records who asked and who confirmed", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB]);
    gh.get(ADVISORY).reply(200, advisory({ ghsa_id: GHSA, collaborating_users: [user("reporter-friend")] }));
    gh.patch(ADVISORY).reply(200, advisory({ ghsa_id: GHSA }));
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("felixxm", "/confirm @expert"));
    expect(recordedWrites()).toEqual([
      { method: "PATCH", path: ADVISORY, body: { collaborating_users: ["reporter-friend", "expert"] } },
      expect.objectContaining({ method: "POST", path: COMMENTS }),
    ]);
    const body = replyBody();
    expect(body).toContain(
      "@expert is now a collaborator on the advisory (need to know): asked by @shaib, confirmed by @felixxm.",
    );
    expect(body).toContain("<!-- security-team:invited:expert:shaib:felixxm -->");
    expect(gh.isDone()).toBe(true);
  });

  it("refuses a confirmation from the same affiliation as the requester", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_JACOB]);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("nessita", "/confirm @expert"));
    expect(recordedWrites().map((w) => w.method)).toEqual(["POST"]);
    expect(replyBody()).toContain(
      "@nessita: refused: you share @jacobtylerwalls's affiliation (Django Software Foundation); a member of another organisation must confirm.",
    );
  });

  it("refuses self-confirmation", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB]);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("shaib", "/confirm @expert"));
    expect(replyBody()).toContain(
      "@shaib: refused: you asked for this invitation; another member must confirm it.",
    );
  });

  it("refuses when no invitation is pending (none, or already withdrawn)", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB, appReply(3, "<!-- security-team:uninvited:expert -->")]);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("felixxm", "/confirm @expert"));
    expect(replyBody()).toContain(
      "@felixxm: refused: there is no pending invitation for @expert here; a member asks first with `/invite @expert`.",
    );
  });

  it("ignores invitation markers that the app did not write", async () => {
    const app = await createTestApp();
    const forged = { ...INVITE_BY_SHAIB, user: user("mallory") };
    const gh = scope([forged]);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("felixxm", "/confirm @expert"));
    expect(replyBody()).toContain("there is no pending invitation for @expert");
  });

  it("refuses when an affiliation is missing from the charter", async () => {
    const charter = parse(EXAMPLE_CHARTER_TEXT) as { members: { login: string; affiliation?: string }[] };
    for (const m of charter.members) if (m.login === "felixxm") delete m.affiliation;
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB], charterText(charter));
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("felixxm", "/confirm @expert"));
    expect(replyBody()).toContain("the charter gives no affiliation for @felixxm");
  });

  it("needs a full member: an onboarding member is refused by the dispatcher", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS).query(true).reply(200, []);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("newperson", "/confirm @expert"));
    expect(replyBody()).toContain(
      "@newperson: refused. `/confirm` needs a full member; you are still onboarding.",
    );
  });

  it("keeps the invitation pending and says so when GitHub refuses the change", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB]);
    gh.get(ADVISORY).reply(200, advisory({ ghsa_id: GHSA, collaborating_users: [] }));
    gh.patch(ADVISORY).reply(502, { message: "Bad Gateway" });
    gh.post(COMMENTS).reply(201, { id: 1 });
    // Answered, and the delivery fails so that it shows as failed (a failed write fails the delivery).
    await expect(app.receive("issue_comment", command("felixxm", "/confirm @expert"))).rejects.toThrow();
    const body = replyBody();
    expect(body).toContain("GitHub refused to add @expert to the advisory");
    expect(body).toContain("the invitation is still pending");
    expect(body).not.toContain("security-team:invited:");
  });

  it("does nothing on a redelivered comment that was already answered", async () => {
    const app = await createTestApp();
    const event = command("felixxm", "/confirm @expert");
    const id = (event as { comment: { id: number } }).comment.id;
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS)
      .query(true)
      .reply(200, [appReply(9, `done\n\n<!-- security-team:reply:${id} -->`)]);
    await app.receive("issue_comment", event);
    expect(recordedWrites()).toEqual([]);
  });
});

describe("/uninvite", () => {
  it("removes the expert from the advisory and keeps every other collaborator", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB, appReply(2, "<!-- security-team:invited:expert:shaib:felixxm -->")]);
    gh.get(ADVISORY).reply(
      200,
      advisory({
        ghsa_id: GHSA,
        collaborating_users: [user("reporter-friend"), user("Expert"), user("shaib")],
      }),
    );
    gh.patch(ADVISORY).reply(200, advisory({ ghsa_id: GHSA }));
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("charettes", "/uninvite @expert"));
    expect(recordedWrites()[0]).toEqual({
      method: "PATCH",
      path: ADVISORY,
      body: { collaborating_users: ["reporter-friend", "shaib"] },
    });
    const body = replyBody();
    expect(body).toContain("@expert is no longer a collaborator on the advisory (by @charettes).");
    expect(body).toContain("<!-- security-team:uninvited:expert -->");
  });

  it("withdraws a pending invitation without touching the advisory", async () => {
    const app = await createTestApp();
    const gh = scope([INVITE_BY_SHAIB]);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("shaib", "/uninvite @expert"));
    expect(recordedWrites().map((w) => w.method)).toEqual(["POST"]);
    expect(replyBody()).toContain("The pending invitation for @expert is withdrawn (by @shaib).");
    expect(gh.isDone()).toBe(true);
  });

  it("never removes a team member", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(COMMENTS).query(true).reply(200, []);
    gh.post(COMMENTS).reply(201, { id: 1 });
    await app.receive("issue_comment", command("shaib", "/uninvite @felixxm"));
    expect(recordedWrites().map((w) => w.method)).toEqual(["POST"]);
    expect(replyBody()).toContain(
      "@shaib: refused: @felixxm is a member of the security team; membership changes through the charter.",
    );
  });
});
