import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AdvisoryNow,
  cvssProblem,
  parseCwes,
  planCredit,
  planPublish,
  planStatusRefresh,
  withStatus,
} from "../../src/reports/advisory-work.js";

const repo = { owner: "django", repo: "django" };
const draft: AdvisoryNow = {
  ghsa_id: "GHSA-abcd-efgh-ijkl",
  html_url: "https://github.com/django/django/security/advisories/GHSA-abcd-efgh-ijkl",
  state: "draft",
};

describe("CVSS vectors", () => {
  it.each([
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/MAV:L",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/U:Amber",
  ])("accepts %s", (vector) => {
    expect(cvssProblem(vector)).toBeUndefined();
  });

  it.each([
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "starts with `CVSS:3.1/` or `CVSS:4.0/`"],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "the base metric A missing"],
    ["CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV appears twice"],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", "AT is not a CVSS 3.1 metric"],
    ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "UI cannot be `R` in CVSS 4.0"],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A", "`A` is not `METRIC:VALUE`"],
  ])("refuses %s: %s", (vector, problem) => {
    expect(cvssProblem(vector)).toContain(problem);
  });

  it("never throws and never echoes a live marker, whatever it is given", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const problem = cvssProblem(`CVSS:3.1/${text}`) ?? "";
        expect(problem).not.toContain("<!--");
      }),
    );
  });
});

describe("CWE ids", () => {
  it("normalises case, drops repeats and a trailing comma", () => {
    expect(parseCwes(["cwe-79,", "CWE-89", "CWE-79"])).toEqual({ ids: ["CWE-79", "CWE-89"] });
  });
  it.each([
    [[]],
    [["CWE-0"]],
    [["CWE-79x"]],
    [["79"]],
    [Array.from({ length: 21 }, (_, i) => `CWE-${i + 1}`)],
  ])("refuses %j", (args) => {
    expect(parseCwes(args)).toHaveProperty("problem");
  });
});

describe("planners", () => {
  it("/credit writes back every credit already there, whatever its type", () => {
    const a: AdvisoryNow = {
      ...draft,
      credits_detailed: [
        { user: { login: "reporter1" }, type: "reporter" },
        { user: { login: "bob" }, type: "remediation_developer" },
      ],
    };
    const plan = planCredit(repo, a, "shaib", "alice", "tool");
    expect(plan).toMatchObject({
      change: {
        changes: {
          credits: [
            { login: "reporter1", type: "reporter" },
            { login: "bob", type: "remediation_developer" },
            { login: "alice", type: "tool" },
          ],
        },
      },
    });
  });

  it("/publish needs a draft with a severity or a CVSS vector", () => {
    expect(planPublish(repo, draft, "shaib")).toMatchObject({
      unchanged: expect.stringContaining("needs a severity"),
    });
    expect(planPublish(repo, { ...draft, state: "triage", severity: "high" }, "shaib")).toMatchObject({
      unchanged: expect.stringContaining("`/accept` it first"),
    });
    expect(
      planPublish(
        repo,
        { ...draft, cvss: { vector_string: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" } },
        "shaib",
      ),
    ).toHaveProperty("change");
  });

  it("the status section is replaced in place and not rewritten when nothing changed", () => {
    const body = withStatus("intro", draft);
    expect(withStatus(body, draft)).toBe(body);
    expect(planStatusRefresh(repo, 7, body, draft)).toEqual([]);
    const scored = withStatus(body, { ...draft, severity: "low" });
    expect(scored.startsWith("intro\n\n")).toBe(true);
    expect(scored).toContain("| Severity | low |");
    expect(scored.match(/advisory-now -->/g)).toHaveLength(1);
  });
});
