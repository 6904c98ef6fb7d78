import pino from "pino";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { type Action, describeAction } from "../../src/core/actions.js";
import { createExecutor } from "../../src/core/executor.js";
import { github, recordedCalls } from "../helpers/github.js";

const action: Action = {
  kind: "advisory.comment",
  repo: { owner: "django", repo: "django" },
  ghsaId: "GHSA-abcd-efgh-ijkl",
  body: "secret reply text",
  why: "approved draft 500",
};
/** With `retry`, Octokit's retry plugin is on: it would repeat a 502 unless the executor forbids it. */
const octokit = (retry = false) =>
  new ProbotOctokit({
    auth: "t",
    retry: { enabled: retry, retryAfterBaseValue: 1 },
    throttle: { enabled: false },
  } as never) as InstanceType<typeof ProbotOctokit>;

describe("the advisory.comment action", () => {
  it("is one POST to the preview route, described without its body", async () => {
    github()
      .post("/repos/django/django/security-advisories/GHSA-abcd-efgh-ijkl/comments")
      .reply(201, { id: 1 });
    const [result] = await createExecutor(octokit(), { log: pino({ level: "silent" }) }).apply([action]);
    expect(result?.outcome).toBe("applied");
    expect(recordedCalls()).toEqual([
      {
        method: "POST",
        path: "/repos/django/django/security-advisories/GHSA-abcd-efgh-ijkl/comments",
        body: { body: "secret reply text" },
      },
    ]);
    expect(describeAction(action)).toBe("comment on advisory GHSA-abcd-efgh-ijkl in django/django");
  });

  it("is not repeated after a lost answer (a 502 may hide a posted comment)", async () => {
    github().post("/repos/django/django/security-advisories/GHSA-abcd-efgh-ijkl/comments").reply(502, {});
    const executor = createExecutor(octokit(true), { log: pino({ level: "silent" }) });
    const [result] = await executor.apply([action]);
    expect(result).toMatchObject({ outcome: "failed", status: 502 });
    expect(recordedCalls()).toHaveLength(1);
  });
});
