import { describe, expect, it } from "vitest";
import { formatError, loadCharter } from "../../src/charter/loader.js";
import { EXAMPLE_CHARTER_TEXT, TEST_NOW } from "../helpers/charter.js";

const load = (text: string) => loadCharter(text, { file: "charter.yml", now: TEST_NOW });
const errorsOf = (text: string) => {
  const result = load(text);
  if (result.ok) throw new Error("expected the charter to be invalid");
  return result.errors.map(formatError);
};

const header = "version: 1\norg: django\nteam: security\ntracker: django/security-reports\n";
const chair = "  - login: alice\n    roles: [chair]\n    joined: 2020-01-01\n";

describe("charter loader", () => {
  it("accepts the example charter and fills defaults", () => {
    const result = load(EXAMPLE_CHARTER_TEXT);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.charter.members).toHaveLength(7);
    expect(result.charter.policy.nomination).toEqual({
      window_days: 14,
      rule: "consent",
      min_approvals: 1,
      repos: [],
    });
    expect(result.charter.members[0]?.unavailable).toBe(false);
  });

  it("fills every policy default when policy is omitted", () => {
    const result = load(`${header}members:\n${chair}`);
    expect(result.ok && result.charter.policy.sync).toEqual({ drift: "revert", max_removals: 3 });
    expect(result.ok && result.charter.labels.claim).toBe("claim");
  });

  it("reports an unknown key at its line and column", () => {
    expect(errorsOf(`${header}members:\n${chair}    favourite_colour: blue\n`)).toEqual([
      'charter.yml:9:5: members.0: unknown key "favourite_colour"',
    ]);
    expect(errorsOf(`${header}extra: 1\nmembers:\n${chair}`)).toEqual([
      'charter.yml:5:1: unknown key "extra"',
    ]);
  });

  it("reports duplicate logins case-insensitively, at the second one", () => {
    expect(errorsOf(`${header}members:\n${chair}  - login: ALICE\n    joined: 2021-01-01\n`)).toEqual([
      'charter.yml:9:12: members.1.login: duplicate login "ALICE" (same as members.0; logins are case-insensitive)',
    ]);
  });

  it("rejects dates that do not exist", () => {
    expect(
      errorsOf(`${header}members:\n  - login: alice\n    roles: [chair]\n    joined: 2026-02-30\n`),
    ).toEqual(["charter.yml:8:13: members.0.joined: is not a real date in the form YYYY-MM-DD"]);
    expect(errorsOf(`${header}members:\n${chair}    reaffirmed: 2025-13-01\n`)).toEqual([
      "charter.yml:9:17: members.0.reaffirmed: is not a real date in the form YYYY-MM-DD",
    ]);
  });

  it("rejects a charter without a chair", () => {
    expect(
      errorsOf(`${header}members:\n  - login: alice\n    roles: [co-chair]\n    joined: 2020-01-01\n`),
    ).toEqual(['charter.yml:5:1: members: no chair; give one member the role "chair"']);
  });

  it("warns, never fails, on onboarding: true once onboarding has ended (validity does not depend on the clock)", () => {
    const text = `${header}members:\n${chair}  - login: bob\n    joined: 2026-01-01\n    onboarding: true\n`;
    const result = load(text);
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map(formatError)).toEqual([
      'charter.yml:11:5: members.1.onboarding: bob\'s onboarding ended on 2026-03-01; remove "onboarding: true"',
    ]);
    // The same file a year earlier: no warning, and the same verdict.
    const earlier = loadCharter(text, { file: "charter.yml", now: new Date("2026-01-15T00:00:00Z") });
    expect(earlier.ok && earlier.warnings).toEqual([]);
  });

  it("rejects malformed team and tracker", () => {
    const text = `version: 1\norg: django\nteam: security team\ntracker: security-reports\nmembers:\n${chair}`;
    expect(errorsOf(text)).toEqual([
      "charter.yml:3:7: team: is not a valid team slug",
      "charter.yml:4:10: tracker: must be owner/repo",
    ]);
  });

  it("rejects a tracker outside the org", () => {
    const text = `${header.replace("django/security-reports", "someone/reports")}members:\n${chair}`;
    expect(errorsOf(text)).toEqual([
      'charter.yml:4:10: tracker: must be a repository of the org "django" (got "someone/reports")',
    ]);
  });

  it("rejects wrong types and unknown roles", () => {
    expect(errorsOf(`${header}members:\n${chair}policy:\n  nomination: { window_days: two }\n`)).toEqual([
      'charter.yml:10:30: policy.nomination.window_days: expected number, got string "two"',
    ]);
    expect(
      errorsOf(`${header}members:\n  - login: alice\n    roles: [chair, boss]\n    joined: 2020-01-01\n`),
    ).toEqual([
      'charter.yml:7:20: members.0.roles.1: must be one of "chair", "co-chair", "fellow", "triager", "liaison", got string "boss"',
    ]);
  });

  it("reports a missing required key at its parent", () => {
    expect(errorsOf(`${header}members:\n  - login: alice\n    roles: [chair]\n`)).toEqual([
      "charter.yml:6:5: members.0.joined: required",
    ]);
    expect(errorsOf(`version: 1\norg: django\nmembers:\n${chair}`)).toEqual([
      "charter.yml:1:1: team: required",
      "charter.yml:1:1: tracker: required",
    ]);
  });

  it("reports YAML syntax errors and duplicate keys with positions", () => {
    expect(errorsOf("version: 1\norg: [django\n")).toEqual([
      "charter.yml:3:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(errorsOf(`${header}org: other\nmembers:\n${chair}`)).toEqual([
      "charter.yml:5:1: YAML: Map keys must be unique",
    ]);
  });

  it("refuses files over 1 MiB without parsing them", () => {
    expect(errorsOf(`# ${"x".repeat(1024 * 1024)}\n`)).toEqual([
      "charter.yml:1:1: file is larger than 1 MiB",
    ]);
  });

  it("locates values in a valid charter (for check annotations)", () => {
    const result = load(EXAMPLE_CHARTER_TEXT);
    expect(result.ok && result.locate(["members", 6, "login"])).toEqual({ line: 42, col: 12 });
  });

  it("reports every problem, not just the first", () => {
    const text = `${header}members:\n  - login: -bad-\n    joined: 2020-02-31\n    roles: [chair]\n`;
    expect(errorsOf(text)).toHaveLength(2);
  });
});

describe("charter loader: hostile YAML", () => {
  it("reports unresolved aliases and alias bombs instead of throwing", () => {
    const unresolved = loadCharter("*-", { file: "c.yml", now: TEST_NOW });
    expect(unresolved.ok).toBe(false);
    const lol = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++)
      lol.push(`${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`);
    const bomb = loadCharter(`${lol.join("\n")}\nversion: 1\n`, { file: "c.yml", now: TEST_NOW });
    expect(bomb.ok).toBe(false);
  });
});
