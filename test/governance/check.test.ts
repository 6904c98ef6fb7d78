import type nock from "nock";
import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { CHARTER_CONTENTS_PATH, EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { charterPullAnswer } from "../helpers/charter-pull.js";
import { APP_ID, github, recordedCalls, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { example, payload, user } from "../helpers/payloads.js";

const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
/** The default branch's tip, newer than the payload's base sha. */
const TIP_SHA = "1111111111111111111111111111111111111111";
const REPO = "/repos/django/.github";
const CHARTER_PATH = ".github/security-charter.yml";

/** The example charter with members inserted before `policy:` (the first inserted line is line 46). */
function withMembers(yaml: string): string {
  return EXAMPLE_CHARTER_TEXT.replace("\npolicy:", `${yaml}\npolicy:`);
}
const ADD_ALICE = withMembers(`  - login: alice
    affiliation: Zapier
    roles: [triager]
    joined: 2026-12-01
`);
const REMOVE_SHAIB = EXAMPLE_CHARTER_TEXT.replace(/ {2}- login: shaib\n( {4}.*\n)+?(?= {2}- login)/, "");

interface RestReview {
  id: number;
  login: string;
  state: string;
  body?: string;
  /** The head the review was given on (default: the current head). */
  commitId?: string;
}

function restReviews(reviews: RestReview[]) {
  const [template] = exampleResponse("pulls/list-reviews") as Record<string, unknown>[];
  return reviews.map((r) => ({
    ...template,
    id: r.id,
    user: user(r.login),
    state: r.state,
    body: r.body ?? "",
    commit_id: r.commitId ?? HEAD_SHA,
  }));
}

function checkRun(id: number, appId = APP_ID) {
  const [template] = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
    .check_runs;
  return {
    ...template,
    id,
    name: "charter",
    head_sha: HEAD_SHA,
    app: { ...(template?.app as object), id: appId },
  };
}

interface GitHubState {
  /** The charter at the pull request's base commit (default: the default branch's). */
  baseText?: string;
  head?: string;
  reviews?: RestReview[];
  runs?: ReturnType<typeof checkRun>[];
  /** Issue number → age in days at SECURITY_TEAM_NOW (2026-11-22T12:00:00Z). */
  issues?: Record<number, number>;
  /** Open pull requests (number → head sha) besides #2 at HEAD_SHA. */
  openPulls?: Record<number, string>;
  /** The GraphQL answer as GitHub gives it, when the charter file is not a plain file (`head`/`baseText` unused there). */
  answer?: object;
  /** Whether the check reads the reviews and nominations (it judges the change). */
  judged?: boolean;
}

/** Answers every read the check makes. */
function mockReads(scope: nock.Scope, state: GitHubState = {}): nock.Scope {
  const head = state.head ?? ADD_ALICE;
  scope
    .post("/graphql")
    .reply(
      200,
      state.answer ??
        charterPullAnswer(EXAMPLE_CHARTER_TEXT, head, { base: state.baseText, tipSha: TIP_SHA }),
    );
  const untouched =
    state.judged === undefined
      ? (state.baseText ?? EXAMPLE_CHARTER_TEXT) === head && head === EXAMPLE_CHARTER_TEXT
      : !state.judged;
  const [listed] = exampleResponse("pulls/list") as Record<string, unknown>[];
  const open = { 2: HEAD_SHA, ...state.openPulls };
  if (!untouched) {
    scope
      .get(`${REPO}/pulls/2/reviews`)
      .query({ per_page: 100 })
      .reply(200, restReviews(state.reviews ?? []));
  }
  scope
    .get(`${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: "charter", per_page: "100" })
    .reply(200, { total_count: state.runs?.length ?? 0, check_runs: state.runs ?? [] })
    .get(`${REPO}/pulls`)
    .query({ state: "open", per_page: 100 })
    .reply(
      200,
      Object.entries(open).map(([number, sha]) => ({
        ...listed,
        number: Number(number),
        head: { ...(listed?.head as object), sha },
      })),
    );
  if (untouched) return scope;
  for (const [number, age] of Object.entries(state.issues ?? {})) {
    const created = new Date(Date.parse("2026-11-22T12:00:00Z") - age * 86_400_000).toISOString();
    const issue = (example("issues", "opened") as { issue: Record<string, unknown> }).issue;
    const { pull_request: _notAPull, ...plain } = issue;
    scope.get(`${REPO}/issues/${number}`).reply(200, {
      ...plain,
      repository_url: `https://api.github.com${REPO}`,
      number: Number(number),
      created_at: created,
      title: "Nominate @alice",
      user: user("shaib"),
      state: "open",
      state_reason: null,
    });
  }
  return scope;
}

function expectCreate(scope: nock.Scope): nock.Scope {
  return scope.post(`${REPO}/check-runs`).reply(201, { ...checkRun(555) });
}

function pullRequest(patch: Record<string, unknown> = {}) {
  return {
    number: 2,
    user: user("sarahboyce"),
    body: "Adds alice to the team.\n\nNomination: #12",
    ...patch,
  };
}

function opened(patch: Record<string, unknown> = {}) {
  return payload(
    "pull_request",
    "opened",
    { pull_request: pullRequest(patch), sender: user("sarahboyce") },
    ".github",
  );
}

/** GitHub's examples have no `edited` review payload: it is the `submitted` one with `changes`. */
function reviewed(action: "submitted" | "dismissed" | "edited", review: Record<string, unknown>) {
  const extra = action === "edited" ? { action: "edited", changes: { body: { from: "" } } } : {};
  return payload(
    "pull_request_review",
    action === "edited" ? "submitted" : action,
    {
      pull_request: pullRequest(),
      review: { id: 900, body: "", commit_id: HEAD_SHA, ...review },
      sender: review.user,
      ...extra,
    },
    ".github",
  );
}

function written() {
  return recordedWrites().map((c) => ({ method: c.method, path: c.path, body: c.body }));
}

describe("the charter check", () => {
  it("passes an addition with an old enough nomination and a full member's approval (REST state APPROVED)", async () => {
    const app = await createTestApp();
    expectCreate(
      mockReads(github(), { reviews: [{ id: 1, login: "shaib", state: "APPROVED" }], issues: { 12: 20 } }),
    );
    await app.receive("pull_request", opened());
    const [call] = written();
    expect(call).toMatchObject({
      method: "POST",
      path: `${REPO}/check-runs`,
      body: {
        name: "charter",
        head_sha: HEAD_SHA,
        status: "completed",
        conclusion: "success",
        output: { title: "1 change: all meet the charter's rules" },
      },
    });
    await expect((call?.body as { output: { summary: string } }).output.summary).toMatchFileSnapshot(
      "__golden__/webhook-addition-pass.md",
    );
    expect(written()).toHaveLength(1);
  });

  it("fails (pending) while the nomination is too young, saying how old it is", async () => {
    const app = await createTestApp();
    expectCreate(
      mockReads(github(), { reviews: [{ id: 1, login: "shaib", state: "APPROVED" }], issues: { 12: 9 } }),
    );
    await app.receive("pull_request", opened());
    const body = written()[0]?.body as { conclusion: string; output: { title: string; summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).toBe("1 change: 1 waiting for approvals or time");
    expect(body.output.summary).toContain("- @alice: nomination #12 is 9 days old; 14 required");
  });

  it("passes a member's own removal without any review", async () => {
    const app = await createTestApp();
    expectCreate(mockReads(github(), { head: REMOVE_SHAIB }));
    await app.receive("pull_request", opened({ user: user("shaib"), body: "Stepping down." }));
    expect(written()[0]?.body).toMatchObject({
      conclusion: "success",
      output: {
        summary: expect.stringContaining("| @shaib | removed | ✅ pass | removes themselves (PR author) |"),
      },
    });
  });

  it("fails an invalid head charter with annotations on the offending lines", async () => {
    const app = await createTestApp();
    const invalid = withMembers(`  - login: alice
    roll: [triager]
    joined: 2026-02-30
`);
    expectCreate(mockReads(github(), { head: invalid }));
    await app.receive("pull_request", opened());
    expect(written()).toEqual([
      {
        method: "POST",
        path: `${REPO}/check-runs`,
        body: {
          name: "charter",
          head_sha: HEAD_SHA,
          status: "completed",
          conclusion: "failure",
          output: {
            title: "The charter is invalid (2 problems)",
            summary:
              "`.github/security-charter.yml` does not load, so nothing in it can be evaluated or applied. Fix these:\n\n" +
              '- line 47, column 5: members.7: unknown key "roll"\n' +
              "- line 48, column 13: members.7.joined: is not a real date in the form YYYY-MM-DD",
            annotations: [
              {
                path: CHARTER_PATH,
                start_line: 47,
                end_line: 47,
                start_column: 5,
                end_column: 5,
                annotation_level: "failure",
                message: 'members.7: unknown key "roll"',
              },
              {
                path: CHARTER_PATH,
                start_line: 48,
                end_line: 48,
                start_column: 13,
                end_column: 13,
                annotation_level: "failure",
                message: "members.7.joined: is not a real date in the form YYYY-MM-DD",
              },
            ],
          },
        },
      },
    ]);
  });

  it("sends annotations 50 per request: the rest follow as updates of the same run", async () => {
    const app = await createTestApp();
    const bogus = Array.from(
      { length: 60 },
      (_, i) => `  - login: u${i}\n    bogus: 1\n    joined: 2026-01-01\n`,
    );
    expectCreate(mockReads(github(), { head: withMembers(bogus.join("")) }))
      .patch(`${REPO}/check-runs/555`)
      .reply(200, checkRun(555));
    await app.receive("pull_request", opened());
    const sent = written().map((c) => [
      c.method,
      c.path,
      (c.body as { output: { annotations: unknown[] } }).output.annotations.length,
    ]);
    expect(sent).toEqual([
      ["POST", `${REPO}/check-runs`, 50],
      ["PATCH", `${REPO}/check-runs/555`, 1], // 60 errors: the first 50, then "… and 10 more"
    ]);
  });

  it("does not count an approval given before a later push (the change may differ from what was approved)", async () => {
    const app = await createTestApp();
    const stale = { id: 1, login: "shaib", state: "APPROVED", commitId: BASE_SHA };
    expectCreate(mockReads(github(), { reviews: [stale], issues: { 12: 20 } }));
    await app.receive("pull_request", opened());
    const body = written()[0]?.body as { conclusion: string; output: { summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toContain("needs 1 more approval from a full member");
  });

  it("reads a fork's head charter from the base repository, at the head sha, and judges by the default branch's tip", async () => {
    const app = await createTestApp();
    expectCreate(
      mockReads(github(), { reviews: [{ id: 1, login: "shaib", state: "APPROVED" }], issues: { 12: 20 } }),
    );
    const fork = {
      sha: HEAD_SHA,
      ref: "add-alice",
      repo: { full_name: "alice/.github", owner: user("alice"), fork: true },
    };
    await app.receive("pull_request", opened({ head: fork, user: user("alice") }));
    const [query] = recordedCalls().filter((c) => c.path === "/graphql");
    expect((query?.body as { variables: unknown }).variables).toEqual({
      owner: "django",
      name: ".github",
      path: CHARTER_PATH,
      head: HEAD_SHA,
      base: BASE_SHA,
    });
    expect(recordedCalls().filter((c) => c.path.includes("/contents/"))).toEqual([]);
    expect(written()[0]?.body).toMatchObject({ head_sha: HEAD_SHA, conclusion: "success" });
  });

  it("passes a pull request that does not change the charter, so the check can be required", async () => {
    const app = await createTestApp();
    expectCreate(mockReads(github(), { head: EXAMPLE_CHARTER_TEXT }));
    await app.receive("pull_request", opened());
    // The two reads go out together: their order is the network's.
    expect(
      recordedCalls()
        .map((c) => `${c.method} ${c.path}`)
        .sort(),
    ).toEqual([
      `GET ${REPO}/commits/${HEAD_SHA}/check-runs?check_name=charter&per_page=100`,
      `GET ${REPO}/pulls?state=open&per_page=100`,
      "POST /graphql",
      `POST ${REPO}/check-runs`,
    ]);
    expect(written()[0]?.body).toEqual({
      name: "charter",
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "success",
      output: {
        title: "No change to the charter",
        summary: `This pull request does not change \`${CHARTER_PATH}\`: nothing for the charter's rules to judge.`,
        annotations: [],
      },
    });
  });

  it("judges a head that kept its base's charter while the default branch moved on (merging it would revert the tip)", async () => {
    const app = await createTestApp();
    // The PR's base commit had alice; the tip removed her; the head (the tip merged in, her line kept)
    // equals its base. Merged, it would put alice back: that is a change, and needs what any addition needs.
    expectCreate(mockReads(github(), { head: ADD_ALICE, baseText: ADD_ALICE }));
    await app.receive("pull_request", opened({ body: "Keeps the charter as it was." }));
    const body = written()[0]?.body as { conclusion: string; output: { title: string; summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).not.toBe("No change to the charter");
    expect(body.output.summary).toContain("@alice");
  });

  it("fails a head charter that names another org, as every other reader of the charter refuses it", async () => {
    const app = await createTestApp();
    const elsewhere = EXAMPLE_CHARTER_TEXT.replace(/^org: django$/m, "org: evilcorp");
    expect(elsewhere).not.toBe(EXAMPLE_CHARTER_TEXT);
    expectCreate(mockReads(github(), { head: elsewhere }));
    await app.receive("pull_request", opened());
    const body = written()[0]?.body as { conclusion: string; output: { title: string; summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).toMatch(/^The charter is invalid/);
    expect(body.output.summary).toContain(
      'org: this charter is read from the org "django" and governs only it',
    );
  });

  it("fails a pull request that does not change the charter when another open one shares its head", async () => {
    const app = await createTestApp();
    expectCreate(mockReads(github(), { head: EXAMPLE_CHARTER_TEXT, openPulls: { 3: HEAD_SHA } }));
    await app.receive("pull_request", opened());
    const body = written()[0]?.body as { conclusion: string; output: { title: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.title).toBe("This commit is the head of several pull requests");
  });

  describe("a charter file that is not a plain file", () => {
    /** The answer for an untouched charter, with the file's tree entry at the head, base and tip replaced. */
    function entries(entry: { oid: string; mode: number; text?: string }, head = entry) {
      const node = (e: typeof entry) => ({
        oid: e.oid,
        mode: e.mode,
        object: e.text === undefined ? null : { text: e.text, isTruncated: false },
      });
      const { data } = charterPullAnswer(EXAMPLE_CHARTER_TEXT, EXAMPLE_CHARTER_TEXT, { tipSha: TIP_SHA });
      const { defaultBranchRef } = data.repository;
      return {
        data: {
          repository: {
            defaultBranchRef: {
              ...defaultBranchRef,
              target: { ...defaultBranchRef.target, file: node(entry) },
            },
            head: { file: node(head) },
            base: { file: { oid: entry.oid, mode: entry.mode } },
          },
        },
      };
    }
    const tipBlob = charterPullAnswer(EXAMPLE_CHARTER_TEXT, EXAMPLE_CHARTER_TEXT).data.repository.head.file;
    const link = { oid: "5".repeat(40), mode: 0o120000, text: "security/charter.yml" };
    /** The charter as REST reads it through the link, at each commit (the tip and head twice: once to compare, once to judge). */
    function throughTheLink(scope: nock.Scope, head: string): nock.Scope {
      return scope
        .get(CHARTER_CONTENTS_PATH)
        .query({ ref: HEAD_SHA })
        .times(2)
        .reply(200, head)
        .get(CHARTER_CONTENTS_PATH)
        .query({ ref: BASE_SHA })
        .reply(200, EXAMPLE_CHARTER_TEXT)
        .get(CHARTER_CONTENTS_PATH)
        .query({ ref: TIP_SHA })
        .times(2)
        .reply(200, EXAMPLE_CHARTER_TEXT);
    }

    it("judges a change made through a symlinked charter: the link stays, the file it points to adds alice", async () => {
      const app = await createTestApp();
      const scope = mockReads(github(), { answer: entries(link), judged: true, issues: { 12: 20 } });
      expectCreate(throughTheLink(scope, ADD_ALICE));
      await app.receive("pull_request", opened());
      const body = written()[0]?.body as { conclusion: string; output: { title: string; summary: string } };
      expect(body.conclusion).toBe("failure");
      expect(body.output.title).toBe("1 change: 1 waiting for approvals or time");
      expect(body.output.summary).toContain("| @alice |");
    });

    it("positive control: a symlinked charter whose target is the same at the head passes as no change", async () => {
      const app = await createTestApp();
      const scope = mockReads(github(), { answer: entries(link), judged: false });
      throughTheLink(scope, EXAMPLE_CHARTER_TEXT)
        .post(`${REPO}/check-runs`)
        .reply(201, { ...checkRun(555) });
      await app.receive("pull_request", opened());
      expect(written()[0]?.body).toMatchObject({
        conclusion: "success",
        output: { title: "No change to the charter" },
      });
    });

    it("judges a head whose charter is a submodule carrying the charter blob's id (the id is whatever its author wrote)", async () => {
      const app = await createTestApp();
      const submodule = { oid: tipBlob.oid, mode: 0o160000 };
      const scope = mockReads(github(), {
        answer: entries({ ...tipBlob, text: EXAMPLE_CHARTER_TEXT }, submodule),
        judged: true,
      });
      scope.get(CHARTER_CONTENTS_PATH).query({ ref: HEAD_SHA }).reply(404, { message: "Not Found" });
      expectCreate(scope);
      await app.receive("pull_request", opened());
      expect(written()[0]?.body).toMatchObject({
        conclusion: "failure",
        output: { title: "The charter file is missing" },
      });
    });

    it("judges a head whose charter is a symlink whose target path is the charter's own text (same blob id)", async () => {
      const app = await createTestApp();
      const sameBlobAsLink = { ...tipBlob, mode: 0o120000, text: EXAMPLE_CHARTER_TEXT };
      const scope = mockReads(github(), {
        answer: entries({ ...tipBlob, text: EXAMPLE_CHARTER_TEXT }, sameBlobAsLink),
        judged: true,
        issues: { 12: 20 },
      });
      // REST follows the link to a file the pull request adds at that odd path.
      scope.get(CHARTER_CONTENTS_PATH).query({ ref: HEAD_SHA }).reply(200, ADD_ALICE);
      expectCreate(scope);
      await app.receive("pull_request", opened());
      const body = written()[0]?.body as { conclusion: string; output: { summary: string } };
      expect(body.conclusion).toBe("failure");
      expect(body.output.summary).toContain("| @alice |");
    });
  });

  describe("no charter file where GraphQL looks", () => {
    const nowhere = () => {
      const answer = charterPullAnswer(EXAMPLE_CHARTER_TEXT, EXAMPLE_CHARTER_TEXT, { tipSha: TIP_SHA });
      const { name, target } = answer.data.repository.defaultBranchRef;
      return {
        data: {
          repository: {
            defaultBranchRef: { name, target: { oid: target.oid, file: null } },
            head: { file: null },
            base: { file: null },
          },
        },
      };
    };
    /**
     * What REST reads at each commit (a symlinked directory on the way: REST may follow what GraphQL
     * does not). The head and the tip are read twice when the pull request is judged: once to compare,
     * once to judge.
     */
    function restReads(
      scope: nock.Scope,
      texts: { head?: string; base?: string; tip?: string },
      judged = false,
    ): nock.Scope {
      for (const [ref, text, times] of [
        [HEAD_SHA, texts.head, judged ? 2 : 1],
        [BASE_SHA, texts.base, 1],
        [TIP_SHA, texts.tip, judged ? 2 : 1],
      ] as const) {
        const read = scope.get(CHARTER_CONTENTS_PATH).query({ ref }).times(times);
        if (text === undefined) read.reply(404, { message: "Not Found" });
        else read.reply(200, text);
      }
      return scope;
    }

    it("judges a pull request when REST, which the team sync reads, finds a charter that changes", async () => {
      const app = await createTestApp();
      const scope = mockReads(github(), { answer: nowhere(), judged: true, issues: { 12: 20 } });
      expectCreate(
        restReads(scope, { head: ADD_ALICE, base: EXAMPLE_CHARTER_TEXT, tip: EXAMPLE_CHARTER_TEXT }, true),
      );
      await app.receive("pull_request", opened());
      const body = written()[0]?.body as { conclusion: string; output: { title: string; summary: string } };
      // GraphQL brings no charter; the verdict is on the charters REST reads, as the team sync would.
      expect(body.conclusion).toBe("failure");
      expect(body.output.title).toBe("1 change: 1 waiting for approvals or time");
      expect(body.output.summary).toContain("| @alice |");
    });

    it("positive control: a head where REST finds no charter either is judged as missing", async () => {
      const app = await createTestApp();
      const scope = mockReads(github(), { answer: nowhere(), judged: true });
      expectCreate(restReads(scope, { base: EXAMPLE_CHARTER_TEXT, tip: EXAMPLE_CHARTER_TEXT }, true));
      await app.receive("pull_request", opened({ body: "Docs only." }));
      expect(written()[0]?.body).toMatchObject({
        conclusion: "failure",
        output: { title: "The charter file is missing" },
      });
    });

    it("positive control: with no charter anywhere, a pull request passes as no change", async () => {
      const app = await createTestApp();
      const scope = mockReads(github(), { answer: nowhere(), judged: false });
      expectCreate(restReads(scope, {}));
      await app.receive("pull_request", opened({ body: "Docs only." }));
      expect(written()[0]?.body).toMatchObject({
        conclusion: "success",
        output: { title: "No change to the charter" },
      });
    });
  });

  it("says nothing again when its passing run already stands (a redelivery)", async () => {
    const app = await createTestApp();
    const standing = {
      ...checkRun(555),
      conclusion: "success",
      output: {
        title: "No change to the charter",
        summary: `This pull request does not change \`${CHARTER_PATH}\`: nothing for the charter's rules to judge.`,
      },
    };
    mockReads(github(), { head: EXAMPLE_CHARTER_TEXT, runs: [standing] });
    await app.receive("pull_request", opened());
    expect(written()).toEqual([]);
  });

  it("does nothing for a pull request into another branch, or in another repository", async () => {
    const app = await createTestApp();
    github()
      .post("/graphql")
      .reply(200, charterPullAnswer(EXAMPLE_CHARTER_TEXT, ADD_ALICE, { tipSha: TIP_SHA }));
    await app.receive(
      "pull_request",
      opened({ base: { ref: "stable/5.0", sha: BASE_SHA, repo: { full_name: "django/.github" } } }),
    );
    await app.receive(
      "pull_request",
      payload(
        "pull_request",
        "opened",
        { pull_request: pullRequest(), repository: { private: false, visibility: "public" } },
        "django",
      ),
    );
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual(["POST /graphql"]);
  });

  it("does not count an approval submitted by an onboarding member (webhook state is lowercase)", async () => {
    const app = await createTestApp();
    // The REST list lags behind the event: the webhook's review is added to it.
    expectCreate(mockReads(github(), { issues: { 12: 20 } }));
    await app.receive(
      "pull_request_review",
      reviewed("submitted", { state: "approved", user: user("newperson") }),
    );
    const body = written()[0]?.body as { conclusion: string; output: { summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toContain("@newperson is onboarding, not counted");
    expect(body.output.summary).toContain("- @alice: needs 1 more approval from a full member");
  });

  it("shows a disclosed conflict of interest and does not count it", async () => {
    const app = await createTestApp();
    expectCreate(mockReads(github(), { issues: { 12: 20 } }));
    await app.receive(
      "pull_request_review",
      reviewed("submitted", {
        state: "approved",
        user: user("charettes"),
        body: "COI: alice and I both work at Zapier",
      }),
    );
    const body = written()[0]?.body as { conclusion: string; output: { summary: string } };
    expect(body.conclusion).toBe("failure");
    expect(body.output.summary).toContain("@charettes disclosed a conflict of interest (COI), not counted");
  });

  it("uses an edited review's new text: a COI disclosure added later is shown", async () => {
    const app = await createTestApp();
    expectCreate(
      mockReads(github(), {
        reviews: [{ id: 900, login: "charettes", state: "APPROVED", body: "LGTM" }],
        issues: { 12: 20 },
      }),
    );
    await app.receive(
      "pull_request_review",
      reviewed("edited", { state: "approved", user: user("charettes"), body: "LGTM. COI: Zapier colleague" }),
    );
    const summary = (written()[0]?.body as { output: { summary: string } }).output.summary;
    expect(summary).toContain("@charettes disclosed a conflict of interest (COI), not counted");
  });

  it("editing an older approval does not make it the reviewer's latest decision", async () => {
    const app = await createTestApp();
    expectCreate(
      mockReads(github(), {
        reviews: [
          { id: 900, login: "shaib", state: "APPROVED", body: "LGTM" },
          { id: 901, login: "shaib", state: "CHANGES_REQUESTED", body: "Wait, see the thread" },
        ],
        issues: { 12: 20 },
      }),
    );
    await app.receive(
      "pull_request_review",
      reviewed("edited", { state: "approved", user: user("shaib"), body: "LGTM!" }),
    );
    expect(written()[0]?.body).toMatchObject({
      conclusion: "failure",
      output: { title: "1 change: 1 blocked" },
    });
  });

  it("stops counting an approval once it is dismissed, even if REST still shows it APPROVED", async () => {
    const app = await createTestApp();
    expectCreate(
      mockReads(github(), { reviews: [{ id: 900, login: "shaib", state: "APPROVED" }], issues: { 12: 20 } }),
    );
    await app.receive(
      "pull_request_review",
      reviewed("dismissed", { state: "dismissed", user: user("shaib") }),
    );
    expect(written()[0]?.body).toMatchObject({ conclusion: "failure" });
  });

  it("updates its existing run on a repeated delivery instead of creating a second one", async () => {
    const app = await createTestApp();
    const reads = { reviews: [{ id: 1, login: "shaib", state: "APPROVED" }], issues: { 12: 20 } };
    // Another app's run named `charter` is not ours to update.
    mockReads(github(), { ...reads, runs: [checkRun(1, 999), checkRun(777)] })
      .patch(`${REPO}/check-runs/777`)
      .reply(200, checkRun(777));
    await app.receive("pull_request", opened());
    expect(written()).toEqual([
      {
        method: "PATCH",
        path: `${REPO}/check-runs/777`,
        body: {
          status: "completed",
          conclusion: "success",
          output: expect.objectContaining({ title: "1 change: all meet the charter's rules" }),
        },
      },
    ]);
  });

  it("recomputes on re-run, finding a fork's pull request by head sha", async () => {
    const app = await createTestApp();
    const rerun = payload(
      "check_run",
      "rerequested",
      { check_run: { name: "charter", head_sha: HEAD_SHA, pull_requests: [], app: { id: APP_ID } } },
      ".github",
    );
    const [listed] = exampleResponse("pulls/list") as Record<string, unknown>[];
    const pull = exampleResponse("pulls/get") as Record<string, unknown>;
    const scope = github()
      .get(`${REPO}/pulls`)
      .query({ state: "open", per_page: 100 })
      .reply(200, [{ ...listed, number: 2, head: { ...(listed?.head as object), sha: HEAD_SHA } }])
      .get(`${REPO}/pulls/2`)
      .reply(200, {
        ...pull,
        number: 2,
        state: "open",
        body: "Nomination: #12",
        user: user("sarahboyce"),
        head: { ...(pull.head as object), sha: HEAD_SHA },
        base: { ...(pull.base as object), sha: BASE_SHA },
      });
    mockReads(scope, {
      reviews: [{ id: 1, login: "shaib", state: "APPROVED" }],
      issues: { 12: 20 },
      runs: [checkRun(777)],
    })
      .patch(`${REPO}/check-runs/777`)
      .reply(200, checkRun(777));
    await app.receive("check_run", rerun);
    expect(written()).toMatchObject([
      { method: "PATCH", path: `${REPO}/check-runs/777`, body: { conclusion: "success" } },
    ]);
  });

  /** GitHub's `pulls/get` example as pull request #2, open, at HEAD_SHA over BASE_SHA. */
  function openPull() {
    const pull = exampleResponse("pulls/get") as Record<string, unknown>;
    return {
      ...pull,
      number: 2,
      state: "open",
      body: "Nomination: #12",
      user: user("sarahboyce"),
      head: { ...(pull.head as object), sha: HEAD_SHA },
      base: { ...(pull.base as object), sha: BASE_SHA },
    };
  }

  it("recomputes on re-run all checks, for the pull request listed on the suite", async () => {
    const app = await createTestApp();
    const rerunAll = payload(
      "check_suite",
      "rerequested",
      { check_suite: { head_sha: HEAD_SHA, app: { id: APP_ID } } },
      ".github",
    );
    const scope = github().get(`${REPO}/pulls/2`).reply(200, openPull());
    mockReads(scope, {
      reviews: [{ id: 1, login: "shaib", state: "APPROVED" }],
      issues: { 12: 20 },
      runs: [checkRun(777)],
    })
      .patch(`${REPO}/check-runs/777`)
      .reply(200, checkRun(777));
    await app.receive("check_suite", rerunAll);
    expect(scope.pendingMocks()).toEqual([]);
    expect(written()).toMatchObject([
      { method: "PATCH", path: `${REPO}/check-runs/777`, body: { conclusion: "success" } },
    ]);
  });

  it("recomputes on re-run all checks, finding a fork's pull request by head sha", async () => {
    const app = await createTestApp();
    const rerunAll = payload(
      "check_suite",
      "rerequested",
      { check_suite: { head_sha: HEAD_SHA, pull_requests: [], app: { id: APP_ID } } },
      ".github",
    );
    // The open pull requests, #1 elsewhere and #2 at the head, are listed once for the run and the check.
    const scope = github().get(`${REPO}/pulls/2`).reply(200, openPull());
    mockReads(scope, { reviews: [], issues: { 12: 20 }, runs: [checkRun(777)], openPulls: { 1: BASE_SHA } })
      .patch(`${REPO}/check-runs/777`)
      .reply(200, checkRun(777));
    await app.receive("check_suite", rerunAll);
    expect(scope.pendingMocks()).toEqual([]);
    expect(written()).toMatchObject([
      { method: "PATCH", path: `${REPO}/check-runs/777`, body: { conclusion: "failure" } },
    ]);
  });

  it("ignores re-run all checks outside the charter repo", async () => {
    const app = await createTestApp();
    const scope = github();
    const elsewhere = payload(
      "check_suite",
      "rerequested",
      { check_suite: { head_sha: HEAD_SHA }, repository: { private: false } },
      "django",
    );
    await app.receive("check_suite", elsewhere);
    expect(scope.pendingMocks()).toEqual([]);
    expect(recordedCalls()).toEqual([]);
  });

  it("writes nothing when a read fails (a 502 on the reviews)", async () => {
    const app = await createTestApp();
    github()
      .post("/graphql")
      .reply(200, charterPullAnswer(EXAMPLE_CHARTER_TEXT, ADD_ALICE))
      .get(`${REPO}/pulls/2/reviews`)
      .query(true)
      .reply(502, { message: "Bad Gateway" })
      .get(`${REPO}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .get(`${REPO}/pulls`)
      .query(true)
      .reply(200, []);
    await expect(app.receive("pull_request", opened())).rejects.toThrow(/Bad Gateway/);
    expect(written()).toEqual([]);
  });
});
