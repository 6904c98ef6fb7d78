import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, type Call, github, recordedWrites, resetRecording } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import {
  ADVISORY_COMMENTS_CHARTER,
  commentPayload,
  GHSA,
  ISSUE,
  restComment,
  trackingIssue,
} from "../signoff/fixtures.js";

/**
 * The control room: commands on a tracking issue that change its advisory. Given the advisory as
 * GitHub holds it, when a member comments a command, then these exact requests and this reply.
 */

const ADVISORY = `/repos/django/django/security-advisories/${GHSA}`;
const HTML_URL = `https://github.com/django/django/security/advisories/${GHSA}`;

type Scope = ReturnType<typeof github>;

function advisory(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(exampleResponse("security-advisories/get-repository-advisory") as Record<string, unknown>),
    ghsa_id: GHSA,
    cve_id: null,
    html_url: HTML_URL,
    url: `https://api.github.com${ADVISORY}`,
    state: "triage",
    severity: null,
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

const credit = (login: string, type: string) => ({
  user: { ...(exampleResponse("users/get-by-username") as Record<string, unknown>), login },
  type,
  state: "accepted",
});

function given(gh: Scope, before: Record<string, unknown>) {
  replyCharter(gh);
  gh.get(`${ISSUE}/comments`).query({ since: "2026-11-22T11:30:00Z", per_page: "100" }).reply(200, []);
  gh.get(ADVISORY).reply(200, advisory(before));
}

/** The reply comment and every write, in order, as the user would see them on GitHub. */
function transcript(writes: Call[]): string {
  return writes
    .map((w) => {
      const body = w.body as Record<string, unknown> | undefined;
      if (w.path === `${ISSUE}/comments`) return `${w.method} ${w.path}\n\n${String(body?.body)}\n`;
      if (w.path === ISSUE && typeof body?.body === "string")
        return `${w.method} ${w.path} ${JSON.stringify({ ...body, body: "…" })}\n\n${body.body}\n`;
      return `${w.method} ${w.path} ${JSON.stringify(body)}\n`;
    })
    .join("\n");
}

async function run(
  command: string,
  sender: string,
  before: Record<string, unknown>,
  after?: Record<string, unknown>,
) {
  resetRecording();
  const app = await createTestApp();
  const gh = github();
  given(gh, before);
  if (after) {
    gh.patch(ADVISORY).reply(200, advisory(after));
    gh.get(ADVISORY).reply(200, advisory(after));
    gh.patch(ISSUE).reply(200, {});
  }
  gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
  await app.receive("issue_comment", commentPayload(sender, command));
  return recordedWrites();
}

describe("control-room commands: exact requests and reply", () => {
  it("/accept moves the advisory from triage to draft and shows it in the issue", async () => {
    const writes = await run("/accept", "shaib", {}, { state: "draft" });
    expect(writes[0]).toEqual({ method: "PATCH", path: ADVISORY, body: { state: "draft" } });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/accept.md");
  });

  it("/reject closes the advisory and the tracking issue as not planned, with the reason neutralised", async () => {
    const writes = await run(
      "/reject not a vulnerability <!-- security-team:ack -->",
      "shaib",
      {},
      { state: "closed" },
    );
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH ${ADVISORY}`,
      `PATCH ${ISSUE}`,
      `POST ${ISSUE}/comments`,
    ]);
    // The issue's section and its close in one PATCH.
    expect(writes[1]?.body).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect((writes[1]?.body as { body: string }).body).toContain("| State | closed |");
    expect(transcript(writes)).not.toContain("<!-- security-team:ack");
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/reject.md");
  });

  it("/severity sets the severity", async () => {
    const writes = await run(
      "/severity High",
      "shaib",
      { state: "draft" },
      { state: "draft", severity: "high" },
    );
    expect(writes[0]).toEqual({ method: "PATCH", path: ADVISORY, body: { severity: "high" } });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/severity.md");
  });

  it("/cvss sets a CVSS 4.0 vector", async () => {
    const vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    const writes = await run(
      `/cvss ${vector}`,
      "shaib",
      { state: "draft" },
      {
        state: "draft",
        severity: "critical",
        cvss_severities: { cvss_v3: null, cvss_v4: { vector_string: vector, score: 9.3 } },
      },
    );
    expect(writes[0]).toEqual({ method: "PATCH", path: ADVISORY, body: { cvss_vector_string: vector } });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/cvss.md");
  });

  it("/cwe adds to the CWE ids already there", async () => {
    const writes = await run(
      "/cwe cwe-79 CWE-89",
      "shaib",
      { state: "draft", cwe_ids: ["CWE-20"] },
      { state: "draft", cwe_ids: ["CWE-20", "CWE-79", "CWE-89"] },
    );
    expect(writes[0]).toEqual({
      method: "PATCH",
      path: ADVISORY,
      body: { cwe_ids: ["CWE-20", "CWE-79", "CWE-89"] },
    });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/cwe.md");
  });

  it("/credit keeps the credits someone else added", async () => {
    const writes = await run(
      "/credit @alice analyst",
      "shaib",
      { state: "draft", credits_detailed: [credit("reporter1", "reporter")] },
      { state: "draft", credits_detailed: [credit("reporter1", "reporter"), credit("alice", "analyst")] },
    );
    expect(writes[0]).toEqual({
      method: "PATCH",
      path: ADVISORY,
      body: {
        credits: [
          { login: "reporter1", type: "reporter" },
          { login: "alice", type: "analyst" },
        ],
      },
    });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/credit.md");
  });

  it("/cve asks GitHub for a CVE id", async () => {
    const app = await createTestApp();
    const gh = github();
    given(gh, { state: "draft", severity: "high" });
    gh.post(`${ADVISORY}/cve`).reply(202, {});
    gh.get(ADVISORY).reply(200, advisory({ state: "draft", severity: "high" }));
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/cve"));
    const writes = recordedWrites();
    expect(writes[0]).toEqual({ method: "POST", path: `${ADVISORY}/cve`, body: undefined });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/cve.md");
  });

  it("/fork creates the private fork and the reply links it", async () => {
    const app = await createTestApp();
    const gh = github();
    const fork = "https://github.com/django/django-ghsa-abcd-efgh-ijkl";
    given(gh, { state: "draft" });
    gh.post(`${ADVISORY}/forks`).reply(202, {
      ...(exampleResponse("repos/get") as Record<string, unknown>),
      html_url: fork,
      full_name: "django/django-ghsa-abcd-efgh-ijkl",
    });
    gh.get(ADVISORY).reply(200, advisory({ state: "draft", private_fork: { html_url: fork } }));
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/fork"));
    const writes = recordedWrites();
    expect(writes[0]).toEqual({ method: "POST", path: `${ADVISORY}/forks`, body: undefined });
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/fork.md");
  });
});

describe("control-room commands: nothing to change, bad input, refusals", () => {
  const replyOnly = async (command: string, sender: string, before: Record<string, unknown>) => {
    const writes = await run(command, sender, before);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${ISSUE}/comments`]);
    return String((writes[0]?.body as { body: string }).body);
  };

  it("a repeated command changes nothing and says so", async () => {
    expect(await replyOnly("/accept", "shaib", { state: "draft" })).toContain("is already `draft`");
    expect(await replyOnly("/severity high", "shaib", { severity: "high" })).toContain(
      "already has severity high",
    );
    expect(await replyOnly("/cwe CWE-79", "shaib", { cwe_ids: ["CWE-79"] })).toContain(
      "already lists CWE-79",
    );
    expect(
      await replyOnly("/credit @alice analyst", "shaib", { credits_detailed: [credit("alice", "analyst")] }),
    ).toContain("already credited as analyst");
    expect(await replyOnly("/cve", "shaib", { cve_id: "CVE-2026-1234" })).toContain(
      "already has CVE-2026-1234",
    );
  });

  it("an invalid CVSS vector or CWE id is answered before any request to the advisory", async () => {
    expect(await replyOnly("/cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "shaib", {})).toContain(
      "the base metric A missing",
    );
    expect(await replyOnly("/cvss CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "shaib", {})).toContain(
      "AV cannot be `Q` in CVSS 3.1",
    );
    expect(await replyOnly("/cvss CVSS:2.0/AV:N", "shaib", {})).toContain(
      "starts with `CVSS:3.1/` or `CVSS:4.0/`",
    );
    expect(await replyOnly("/cwe CWE-79 XSS", "shaib", {})).toContain("`XSS` is not a CWE id");
    expect(await replyOnly("/credit @alice hero", "shaib", {})).toContain("`hero` is not a credit type");
  });

  it("GitHub's 422 becomes a reply that says why, and the delivery does not fail", async () => {
    const app = await createTestApp();
    const gh = github();
    given(gh, { state: "draft" });
    gh.post(`${ADVISORY}/cve`).reply(422, {
      message: "Validation Failed: A CVE has already been requested for this advisory",
      documentation_url: "https://docs.github.com/rest",
    });
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/cve"));
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST ${ADVISORY}/cve`,
      `POST ${ISSUE}/comments`,
    ]);
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/cve-422.md");
  });

  it("an onboarding member who does not own the report is refused; nothing is read or written", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("newperson", "/severity high"));
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${ISSUE}/comments`]);
    expect(String((writes[0]?.body as { body: string }).body)).toContain(
      "@newperson: refused. Only the report's owner or a full member can run `/severity`.",
    );
  });

  it("an onboarding member who owns the report may score it (positive control)", async () => {
    const app = await createTestApp();
    const gh = github();
    given(gh, { state: "draft" });
    gh.patch(ADVISORY).reply(200, advisory({ state: "draft", severity: "low" }));
    gh.get(ADVISORY).reply(200, advisory({ state: "draft", severity: "low" }));
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    const owned = {
      assignee: { ...trackingIssue.assignee, login: "newperson" },
      assignees: [{ ...trackingIssue.assignee, login: "newperson" }],
    };
    await app.receive("issue_comment", commentPayload("newperson", "/severity low", 900, owned));
    expect(recordedWrites()[0]).toEqual({ method: "PATCH", path: ADVISORY, body: { severity: "low" } });
  });

  it.each([
    ["a non-member", "mallory", "User"],
    ["a bot", "dependabot[bot]", "Bot"],
  ])("%s is refused with a reply; the advisory is not touched", async (_kind, login, type) => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    const event = commentPayload(login, "/accept") as { sender: { type: string } };
    event.sender.type = type;
    await app.receive("issue_comment", event);
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST ${ISSUE}/comments`]);
    expect(String((writes[0]?.body as { body: string }).body)).toContain("refused");
  });

  it("the app's own comment is ignored: nothing is read or written", async () => {
    const app = await createTestApp();
    github();
    const event = commentPayload("security-team[bot]", "/accept") as { sender: { type: string } };
    event.sender.type = "Bot";
    await app.receive("issue_comment", event);
    expect(recordedWrites()).toEqual([]);
  });
});

describe("with features.advisory_comments, the reporter is told on the advisory", () => {
  const COMMENTS = `${ADVISORY}/comments`;

  it("when the report is accepted: once, ever", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh, ADVISORY_COMMENTS_CHARTER);
    gh.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.get(ADVISORY).reply(200, advisory());
    gh.patch(ADVISORY).reply(200, advisory({ state: "draft" }));
    gh.get(ADVISORY).reply(200, advisory({ state: "draft" }));
    gh.get(COMMENTS).query(true).reply(200, []);
    gh.patch(ISSUE).reply(200, {});
    gh.post(COMMENTS).reply(201, { id: 1, body: "", user: null, created_at: "2026-11-22T12:00:00Z" });
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/accept"));
    const writes = recordedWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH ${ADVISORY}`,
      `PATCH ${ISSUE}`,
      `POST ${COMMENTS}`,
      `POST ${ISSUE}/comments`,
    ]);
    await expect(transcript(writes)).toMatchFileSnapshot("__golden__/control-room/accept-told.md");
  });

  it("not a second time when the app's notice is already there (a person's copy of the marker does not count)", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh, ADVISORY_COMMENTS_CHARTER);
    gh.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh.get(ADVISORY).reply(200, advisory({ state: "draft" }));
    gh.post(`${ADVISORY}/cve`).reply(202, {});
    gh.get(ADVISORY).reply(200, advisory({ state: "draft" }));
    const told = (login: string) => ({
      id: 1,
      body: "Asked.\n\n<!-- security-team:told:cve -->",
      user: { login },
      created_at: "2026-11-22T10:00:00Z",
    });
    gh.get(COMMENTS)
      .query(true)
      .reply(200, [told("security-team[bot]")]);
    gh.patch(ISSUE).reply(200, {});
    gh.post(`${ISSUE}/comments`).reply(201, { id: 901 });
    await app.receive("issue_comment", commentPayload("shaib", "/cve"));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST ${ADVISORY}/cve`,
      `PATCH ${ISSUE}`,
      `POST ${ISSUE}/comments`,
    ]);

    resetRecording();
    const again = await createTestApp();
    const gh2 = github();
    replyCharter(gh2, ADVISORY_COMMENTS_CHARTER);
    gh2.get(`${ISSUE}/comments`).query(true).reply(200, []);
    gh2.get(ADVISORY).reply(200, advisory({ state: "draft" }));
    gh2.post(`${ADVISORY}/cve`).reply(202, {});
    gh2.get(ADVISORY).reply(200, advisory({ state: "draft" }));
    gh2
      .get(COMMENTS)
      .query(true)
      .reply(200, [told("reporter1")]);
    gh2.patch(ISSUE).reply(200, {});
    gh2.post(COMMENTS).reply(201, { id: 2, body: "", user: null, created_at: "2026-11-22T12:00:00Z" });
    gh2.post(`${ISSUE}/comments`).reply(201, { id: 902 });
    await again.receive("issue_comment", commentPayload("shaib", "/cve", 903));
    expect(recordedWrites().map((w) => `${w.method} ${w.path}`)).toContain(`POST ${COMMENTS}`);
  });
});

describe("a redelivered command", () => {
  it("changes nothing when its reply is already there", async () => {
    const app = await createTestApp();
    const gh = github();
    replyCharter(gh);
    gh.get(`${ISSUE}/comments`)
      .query(true)
      .reply(200, [restComment(901, APP_LOGIN, "@shaib accepted it.\n\n<!-- security-team:reply:900 -->")]);
    await app.receive("issue_comment", commentPayload("shaib", "/accept"));
    expect(recordedWrites()).toEqual([]);
  });
});
