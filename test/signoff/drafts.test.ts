import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, github, recordedWrites } from "../helpers/github.js";
import { ADVISORY_COMMENTS_CHARTER, commentPayload, GHSA, ISSUE, restComment } from "./fixtures.js";

const ADVISORY_COMMENTS = `/repos/django/django/security-advisories/${GHSA}/comments`;
const DRAFT_TEXT = "Thanks for the report. We could not reproduce it on 5.2; which version do you run?";
const DRAFT = restComment(500, "newperson", `/draft ${DRAFT_TEXT}`, "2026-11-22T10:00:00Z");
const DRAFT_REQUEST = restComment(
  501,
  APP_LOGIN,
  "awaits\n\n<!-- security-team:draft:500 -->\n<!-- security-team:reply:500 -->",
  "2026-11-22T10:00:05Z",
);

type Scope = ReturnType<typeof github>;
const notYetAnswered = (gh: Scope) =>
  gh.get(`${ISSUE}/comments`).query({ since: "2026-11-22T11:30:00Z", per_page: "100" }).reply(200, []);
const replies = () => recordedWrites().filter((w) => w.path === `${ISSUE}/comments`);
const replyText = () => (replies()[0]?.body as { body: string }).body;

describe("/draft", () => {
  it("by an onboarding member: labels the issue and says the draft awaits sign-off", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    notYetAnswered(gh);
    gh.post(`${ISSUE}/labels`).reply(200, []).post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("newperson", `/draft ${DRAFT_TEXT}`, 900));
    expect(recordedWrites()[0]).toEqual({
      method: "POST",
      path: `${ISSUE}/labels`,
      body: { labels: ["needs-sign-off"] },
    });
    await expect(replyText()).toMatchFileSnapshot("__golden__/draft-request.md");
  });

  it("by a full member: needs no sign-off and changes no label", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    notYetAnswered(gh);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", `/draft ${DRAFT_TEXT}`, 900));
    expect(recordedWrites()).toHaveLength(1);
    expect(replyText()).toContain("No sign-off needed: @shaib is a full member.");
    expect(replyText()).toContain("Post it to the advisory yourself");
    expect(replyText()).toContain("<!-- security-team:draft-approved:900 -->");
  });

  it("without text: explains the usage and changes nothing", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    notYetAnswered(gh);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("newperson", "/draft", 900));
    expect(recordedWrites()).toHaveLength(1);
    expect(replyText()).toContain("`/draft` needs the reply text");
  });
});

describe("/approve of a draft", () => {
  it("marks it ready to send and removes the label; with the flag off nothing reaches the advisory", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [DRAFT, DRAFT_REQUEST]);
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `DELETE ${ISSUE}/labels/needs-sign-off`,
      `POST ${ISSUE}/comments`,
    ]);
    await expect(replyText()).toMatchFileSnapshot("__golden__/draft-approved.md");
  });

  it("with features.advisory_comments: posts the approved text to the advisory, once", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh, ADVISORY_COMMENTS_CHARTER);
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [DRAFT, DRAFT_REQUEST]);
    gh.get(ADVISORY_COMMENTS).query({ per_page: "100" }).reply(200, []);
    gh.post(ADVISORY_COMMENTS).reply(201, { id: 77, body: DRAFT_TEXT });
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    expect(recordedWrites()[0]).toEqual({
      method: "POST",
      path: ADVISORY_COMMENTS,
      body: { body: `${DRAFT_TEXT}\n\n<!-- security-team:draft-sent:500 -->` },
    });
    expect(replyText()).toContain(`The app posted it to ${GHSA}; the reporter can see it.`);
    // Info and above (production levels) never carry the text; Probot's debug request log does, for every body.
    const infoLogs = app.logs.filter((l) => (JSON.parse(l) as { level: number }).level >= 30);
    expect(infoLogs.join("")).toContain("comment on an advisory in django/django");
    expect(infoLogs.join("")).not.toContain("could not reproduce");
  });

  it("does not post twice when the advisory already has it (a lost reply)", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh, ADVISORY_COMMENTS_CHARTER);
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [DRAFT, DRAFT_REQUEST]);
    gh.get(ADVISORY_COMMENTS)
      .query({ per_page: "100" })
      .reply(200, [
        {
          id: 77,
          user: { login: APP_LOGIN },
          body: `${DRAFT_TEXT}\n\n<!-- security-team:draft-sent:500 -->`,
        },
      ]);
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    expect(recordedWrites().map((w) => w.path)).not.toContain(ADVISORY_COMMENTS);
    expect(replyText()).toContain(`It was already posted to ${GHSA}.`);
  });

  it("when posting fails: records no sign-off, keeps the label, and says to try again", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh, ADVISORY_COMMENTS_CHARTER);
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [DRAFT, DRAFT_REQUEST]);
    gh.get(ADVISORY_COMMENTS).query({ per_page: "100" }).reply(200, []);
    gh.post(ADVISORY_COMMENTS).reply(502, { message: "Bad Gateway" });
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await expect(app.receive("issue_comment", commentPayload("shaib", "/approve"))).rejects.toThrow();
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST ${ADVISORY_COMMENTS}`,
      `POST ${ISSUE}/comments`,
    ]);
    expect(replyText()).toContain(`not signed off: posting it to ${GHSA} failed (502)`);
    expect(replyText()).not.toContain("draft-approved");
  });

  it("approves the draft it links and keeps the label while another is pending", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    notYetAnswered(gh);
    const second = restComment(600, "newperson", "/draft Second try.", "2026-11-22T10:30:00Z");
    const secondRequest = restComment(
      601,
      APP_LOGIN,
      "<!-- security-team:draft:600 -->",
      "2026-11-22T10:30:05Z",
    );
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [DRAFT, DRAFT_REQUEST, second, secondRequest]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive(
      "issue_comment",
      commentPayload(
        "shaib",
        "/approve https://github.com/django/security-reports/issues/7#issuecomment-500",
      ),
    );
    expect(recordedWrites()).toHaveLength(1);
    expect(replyText()).toContain("<!-- security-team:draft-approved:500 -->");
  });

  it("refuses a draft edited after the /approve was written", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    notYetAnswered(gh);
    const edited = { ...DRAFT, updated_at: "2026-11-22T11:45:00Z" };
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, [edited, DRAFT_REQUEST]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    expect(recordedWrites()).toHaveLength(1);
    expect(replyText()).toContain("was edited after your `/approve`");
  });
});
