import { describe, expect, it } from "vitest";
import { inProcessLocks } from "../../src/core/serialize.js";
import { createTestApp } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT, replyCharter } from "../helpers/charter.js";
import { APP_ID, github, recordedWrites } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { example, payload, user } from "../helpers/payloads.js";

/**
 * Two deliveries about the same object at the same moment: without serialization both handlers
 * read "no check run yet" before either writes, and both create one. Handlers for the same pull
 * request run one after another, so the second sees the first's run and has nothing to change.
 */

const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const REPO = "/repos/django/.github";
const CHARTER_PATH = ".github/security-charter.yml";
const ADD_ALICE = EXAMPLE_CHARTER_TEXT.replace(
  "\npolicy:",
  "  - login: alice\n    affiliation: Zapier\n    roles: [triager]\n    joined: 2026-12-01\n\npolicy:",
);

interface Run {
  id: number;
  conclusion: string;
  output: { title: string; summary: string };
}

/** The charter PR's GitHub, twice over, with check runs that exist once created; every read is slow. */
function mockCharterPullRequest(): Run[] {
  const runs: Run[] = [];
  const [file] = exampleResponse("pulls/list-files") as Record<string, unknown>[];
  const [review] = exampleResponse("pulls/list-reviews") as Record<string, unknown>[];
  const [runTemplate] = (exampleResponse("checks/list-for-ref") as { check_runs: Record<string, unknown>[] })
    .check_runs;
  const nomination = (example("issues", "opened") as { issue: Record<string, unknown> }).issue;
  const scope = github();
  for (let delivery = 0; delivery < 2; delivery++) {
    replyCharter(scope, EXAMPLE_CHARTER_TEXT, BASE_SHA);
    replyCharter(scope, ADD_ALICE, HEAD_SHA);
  }
  scope
    .get(`${REPO}/pulls/2/files`)
    .query({ per_page: 100 })
    .times(2)
    .delay(50)
    .reply(200, [{ ...file, filename: CHARTER_PATH }])
    .get(`${REPO}/pulls/2/reviews`)
    .query({ per_page: 100 })
    .times(2)
    .reply(200, [{ ...review, id: 1, user: user("shaib"), state: "APPROVED", commit_id: HEAD_SHA }])
    .get(`${REPO}/issues/12`)
    .times(2)
    .reply(200, { ...nomination, number: 12, created_at: "2026-11-01T12:00:00Z", title: "Nominate @alice" })
    .get(`${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query({ check_name: "charter" })
    .times(2)
    .delay(50)
    .reply(200, () => ({
      total_count: runs.length,
      check_runs: runs.map((run) => ({
        ...runTemplate,
        ...run,
        name: "charter",
        head_sha: HEAD_SHA,
        output: { ...(runTemplate?.output as object), ...run.output },
        app: { ...(runTemplate?.app as object), id: APP_ID },
      })),
    }))
    .post(`${REPO}/check-runs`)
    .times(2)
    .delay(50)
    .reply(201, (_uri, body) => {
      const { conclusion, output } = body as Omit<Run, "id">;
      const run = { id: 555 + runs.length, conclusion, output };
      runs.push(run);
      return { ...runTemplate, ...run, app: { ...(runTemplate?.app as object), id: APP_ID } };
    });
  return runs;
}

function pullRequestEvent(action: "opened" | "synchronize") {
  return payload(
    "pull_request",
    action,
    {
      pull_request: {
        number: 2,
        state: "open",
        user: user("sarahboyce"),
        body: "Adds alice to the team.\n\nNomination: #12",
        head: { sha: HEAD_SHA },
        base: { sha: BASE_SHA },
      },
      sender: user("sarahboyce"),
    },
    ".github",
  );
}

describe("simultaneous deliveries about the same object", () => {
  it("two pull request events for the charter PR at once make one `charter` check run", async () => {
    const app = await createTestApp();
    const runs = mockCharterPullRequest();
    await Promise.all([
      app.receive("pull_request", pullRequestEvent("opened")),
      app.receive("pull_request", pullRequestEvent("synchronize")),
    ]);
    const writes = recordedWrites().map((c) => [c.method, c.path]);
    expect(writes).toEqual([["POST", `${REPO}/check-runs`]]);
    expect(runs).toMatchObject([{ id: 555, conclusion: "success" }]);
    expect(inProcessLocks.size()).toBe(0); // the pull request's key was released
  });
});
