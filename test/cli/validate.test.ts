import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { SECURITY_TEAM_NOW: "2026-11-22T00:00:00Z", ...env },
  });
  return code.then((c) => ({ code: c, out: out.join("\n"), err: err.join("\n") }));
}

describe("security-team validate", () => {
  it("exits 0 for the example charter", async () => {
    const r = await run(["validate", "config/charter.example.yml"]);
    expect(r).toEqual({
      code: 0,
      out: "config/charter.example.yml: valid (7 members, team django/django-security-team)",
      err: "",
    });
  });

  it("exits 1 with positioned errors for a broken charter", async () => {
    const file = join(tmpdir(), "broken-charter.yml");
    writeFileSync(
      file,
      "version: 1\norg: django\nteam: t\ntracker: django/r\nmembers:\n  - login: a\n    roles: [chair]\n    joined: 2026-02-30\n",
    );
    const r = await run(["validate", file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `${file}:8:13: members.0.joined: is not a real date in the form YYYY-MM-DD\n${file}: invalid (1 problem)`,
    );
  });

  it("exits 0 with a warning when time has made `onboarding: true` stale (validity never depends on the clock)", async () => {
    const file = join(tmpdir(), "stale-onboarding-charter.yml");
    writeFileSync(
      file,
      "version: 1\norg: django\nteam: t\ntracker: django/r\nmembers:\n  - login: a\n    roles: [chair]\n    joined: 2026-01-01\n    onboarding: true\n",
    );
    const r = await run(["validate", file]);
    expect(r).toEqual({
      code: 0,
      out: `${file}: valid (1 members, team django/t)`,
      err: `${file}:9:5: members.0.onboarding: a's onboarding ended on 2026-03-01; remove "onboarding: true" (warning)`,
    });
  });

  it("exits 2 on usage errors", async () => {
    expect((await run(["validate", "a", "b"])).code).toBe(2);
    expect((await run(["validate", "--nope"])).code).toBe(2);
    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(["validate", "/does/not/exist.yml"])).code).toBe(2);
  });

  it("rejects a malformed SECURITY_TEAM_NOW", async () => {
    const r = await run(["validate", "config/charter.example.yml"], { SECURITY_TEAM_NOW: "yesterday" });
    expect(r).toMatchObject({
      code: 1,
      err: 'security-team validate: SECURITY_TEAM_NOW is not an ISO 8601 time: "yesterday"',
    });
  });
});

describe("credentials", () => {
  it("sweep and report refuse a personal token: only the app can tell its own markers", async () => {
    for (const args of [
      ["sweep", "--org", "django"],
      ["report", "--year", "2026", "--org", "django"],
    ]) {
      const r = await run(args, { GITHUB_TOKEN: "ghp_x" });
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `security-team ${args[0]}: needs the app's credentials: set APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (in .env or the environment); GITHUB_TOKEN is not enough`,
      );
    }
  });
});
