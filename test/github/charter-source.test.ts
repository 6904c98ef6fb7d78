import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { charterLocation } from "../../src/charter/source.js";
import { readCharter } from "../../src/github/charter-source.js";
import { CHARTER_CONTENTS_PATH, EXAMPLE_CHARTER_TEXT, TEST_NOW } from "../helpers/charter.js";
import { github } from "../helpers/github.js";

const octokit = () =>
  new ProbotOctokit({ auth: "t", retry: { enabled: false }, throttle: { enabled: false } } as never);

describe("readCharter", () => {
  it("reads the raw file whatever content type GitHub answers with", async () => {
    for (const type of ["text/plain; charset=utf-8", "application/vnd.github.raw"]) {
      github().get(CHARTER_CONTENTS_PATH).reply(200, EXAMPLE_CHARTER_TEXT, { "content-type": type });
      const result = await readCharter(octokit() as never, charterLocation("django", {}), TEST_NOW);
      expect(result.ok).toBe(true);
    }
  });

  it("reads at a ref and honours CHARTER_REPO / CHARTER_PATH", async () => {
    github()
      .get("/repos/django/governance/contents/security.yml")
      .query({ ref: "abc" })
      .reply(200, "version: 2\n");
    const where = charterLocation("django", { CHARTER_REPO: "governance", CHARTER_PATH: "security.yml" });
    const result = await readCharter(octokit() as never, where, TEST_NOW, "abc");
    expect(result.ok).toBe(false);
  });

  it("reports a missing charter without throwing", async () => {
    github().get(CHARTER_CONTENTS_PATH).reply(404, { message: "Not Found" });
    const result = await readCharter(octokit() as never, charterLocation("django", {}), TEST_NOW);
    expect(result).toMatchObject({ ok: false, missing: true });
  });
});
