import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createTestApp } from "../helpers/app.js";
import { charterText, EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, type Call, github, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { merge, user } from "../helpers/payloads.js";
import { commentPayload, GHSA, ISSUE, reportLabel, restComment } from "../signoff/fixtures.js";

/**
 * Steps that wait for full members: `/publish` under the two-person rule, and an onboarding member's
 * `/accept`, `/reject` and `/publish` (sign-off). Given the app's request on the issue, when a full
 * member comments `/approve`, then the advisory changes, once.
 */

const ADVISORY = `/repos/django/django/security-advisories/${GHSA}`;
const HTML_URL = `https://github.com/django/django/security/advisories/${GHSA}`;
const signoffLabel = { ...reportLabel, id: 2, name: "needs-sign-off" };
const OWNED_BY_NEWPERSON = { assignee: user("newperson"), assignees: [user("newperson")] };

type Scope = ReturnType<typeof github>;

function advisory(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(exampleResponse("security-advisories/get-repository-advisory") as Record<string, unknown>),
    ghsa_id: GHSA,
    cve_id: null,
    html_url: HTML_URL,
    url: `https://api.github.com${ADVISORY}`,
    state: "draft",
    severity: "high",
    cvss: null,
    cvss_severities: null,
    cwes: [],
    cwe_ids: [],
    credits: [],
    credits_detailed: [],
    private_fork: null,
    ...patch,
  };
}

const withPolicy = (publish: { approvals: number }) =>
  charterText(merge(parse(EXAMPLE_CHARTER_TEXT), { policy: { publish } }));

function notYetAnswered(gh: Scope, charter?: string) {
  replyCharter(gh, charter);
  gh.get(`${ISSUE}/comments`).query({ since: "2026-11-22T11:30:00Z", per_page: "100" }).reply(200, []);
}

/** The app's reply recording a request for `step` made by `requester` in comment 800. */
const request = (step: string, requester: string, extra = "") =>
  restComment(
    801,
    APP_LOGIN,
    `waits\n\n<!-- security-team:signoff-step:${step}:${requester}:800 -->\n<!-- security-team:reply:800 -->${extra}`,
  );

const replyBody = (writes: Call[]) =>
  String((writes.find((w) => w.path === `${ISSUE}/comments`)?.body as { body: string }).body);
const lines = (writes: Call[]) => writes.map((w) => `${w.method} ${w.path}`);

describe("/publish: the two-person rule", () => {
  it("by a full member records a request and labels the issue; the advisory is not touched", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(ADVISORY).reply(200, advisory());
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, []);
    gh.post(`${ISSUE}/labels`).reply(200, []).post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/publish"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/labels`, `POST ${ISSUE}/comments`]);
    await expect(replyBody(writes)).toMatchFileSnapshot("__golden__/control-room/publish-request.md");
  });

  it("a second /publish while one waits records nothing", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(ADVISORY).reply(200, advisory());
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("publish", "shaib")]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("felixxm", "/publish"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain(
      "`/publish` by @shaib already waits for `/approve`. Nothing changed.",
    );
  });

  it("without a severity or CVSS vector says what is missing, and records nothing", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(ADVISORY).reply(200, advisory({ severity: null }));
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/publish"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain(
      "cannot be published yet: it needs a severity (`/severity LEVEL`) or a CVSS vector (`/cvss VECTOR`)",
    );
    expect(replyBody(writes)).not.toContain("signoff-step");
  });

  it("a second full member's /approve publishes it, shows it in the issue and drops the label", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("publish", "shaib")]);
    gh.get(ADVISORY).reply(200, advisory());
    gh.patch(ADVISORY).reply(200, advisory({ state: "published" }));
    gh.get(ADVISORY).reply(200, advisory({ state: "published" }));
    gh.patch(ISSUE).reply(200, {});
    gh.delete(`${ISSUE}/labels/needs-sign-off`).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive(
      "issue_comment",
      commentPayload("sarahboyce", "/approve", 900, { labels: [reportLabel, signoffLabel] }),
    );
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([
      `PATCH ${ADVISORY}`,
      `PATCH ${ISSUE}`,
      `DELETE ${ISSUE}/labels/needs-sign-off`,
      `POST ${ISSUE}/comments`,
    ]);
    expect(writes[0]?.body).toEqual({ state: "published" });
    await expect(replyBody(writes)).toMatchFileSnapshot("__golden__/control-room/publish-approved.md");
  });

  it("the requester cannot approve their own /publish", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("publish", "shaib")]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain("you asked for `/publish` yourself");
  });

  it("with approvals: 2, the first /approve is recorded and nothing is published yet", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh, withPolicy({ approvals: 2 }));
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("publish", "shaib")]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("sarahboyce", "/approve"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain("has 1 of 2 approvals");
    expect(replyBody(writes)).toContain("<!-- security-team:step-approved:800:sarahboyce -->");
  });

  it("with approvals: 0, a full member's /publish publishes at once", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh, withPolicy({ approvals: 0 }));
    gh.get(ADVISORY).reply(200, advisory());
    gh.patch(ADVISORY).reply(200, advisory({ state: "published" }));
    gh.get(ADVISORY).reply(200, advisory({ state: "published" }));
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/publish"));
    expect(recordedWrites()[0]).toEqual({ method: "PATCH", path: ADVISORY, body: { state: "published" } });
  });

  it("GitHub's 422 on publishing is answered and the request stays pending", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("publish", "shaib")]);
    gh.get(ADVISORY).reply(200, advisory());
    gh.patch(ADVISORY).reply(422, {
      message: "Validation Failed: vulnerabilities must name an affected package",
      documentation_url: "https://docs.github.com/rest",
    });
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("sarahboyce", "/approve"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`PATCH ${ADVISORY}`, `POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain("GitHub refused it: Validation Failed: vulnerabilities must name");
    expect(replyBody(writes)).not.toContain("step-done");
  });

  it("an already published step is not published twice", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    const done = "\n<!-- security-team:step-done:800 -->";
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("publish", "shaib", done)]);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("sarahboyce", "/approve"));
    expect(replyBody(recordedWrites())).toContain("nothing on this report awaits sign-off");
  });
});

describe("an onboarding member on either side", () => {
  it("an onboarding owner's /publish waits for a full member even with approvals: 0", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh, withPolicy({ approvals: 0 }));
    gh.get(ADVISORY).reply(200, advisory());
    gh.get(`${ISSUE}/comments`).query({ per_page: "100" }).reply(200, []);
    gh.post(`${ISSUE}/labels`).reply(200, []).post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("newperson", "/publish", 900, OWNED_BY_NEWPERSON));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/labels`, `POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain("@newperson is still onboarding");
    expect(replyBody(writes)).toContain("<!-- security-team:signoff-step:publish:newperson:900 -->");
  });

  it("a full member's /approve of an onboarding member's /accept accepts the report", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [request("accept", "newperson")]);
    gh.get(ADVISORY).reply(200, advisory({ state: "triage", severity: null }));
    gh.patch(ADVISORY).reply(200, advisory({ state: "draft", severity: null }));
    gh.get(ADVISORY).reply(200, advisory({ state: "draft", severity: null }));
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve", 900, OWNED_BY_NEWPERSON));
    const writes = recordedWrites();
    expect(writes[0]).toEqual({ method: "PATCH", path: ADVISORY, body: { state: "draft" } });
    expect(replyBody(writes)).toContain("Approved by @shaib: @newperson accepted");
  });

  it("an onboarding owner's /reject waits; the full member's /approve closes with the reason", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    const rejection = restComment(800, "newperson", "/reject duplicate of GHSA-aaaa-bbbb-cccc");
    gh.get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [rejection, request("reject", "newperson")]);
    gh.get(ADVISORY).reply(200, advisory({ state: "triage" }));
    gh.patch(ADVISORY).reply(200, advisory({ state: "closed" }));
    gh.get(ADVISORY).reply(200, advisory({ state: "closed" }));
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("shaib", "/approve", 900, OWNED_BY_NEWPERSON));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`PATCH ${ADVISORY}`, `PATCH ${ISSUE}`, `POST ${ISSUE}/comments`]);
    expect(writes[1]?.body).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect(replyBody(writes)).toContain("> duplicate of GHSA-aaaa-bbbb-cccc");
  });

  it("an onboarding member cannot /approve a full member's /publish", async () => {
    const app = await createTestApp();
    const gh = github();
    notYetAnswered(gh);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await app.receive("issue_comment", commentPayload("newperson", "/approve"));
    const writes = recordedWrites();
    expect(lines(writes)).toEqual([`POST ${ISSUE}/comments`]);
    expect(replyBody(writes)).toContain("`/approve` needs a full member; you are still onboarding");
  });
});
