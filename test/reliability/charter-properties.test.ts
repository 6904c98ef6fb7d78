import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadCharter } from "../../src/charter/loader.js";
import { parseCommand } from "../../src/commands/parse.js";
import { TEST_NOW } from "../helpers/charter.js";

const load = (text: string) => loadCharter(text, { file: "c.yml", now: TEST_NOW });

const login = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
const day = fc
  .record({
    y: fc.integer({ min: 2000, max: 2030 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const member = fc.record({
  login,
  roles: fc.subarray(["chair", "co-chair", "fellow", "triager", "liaison"]),
  joined: day,
  affiliation: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
});
const charter = fc.record({
  version: fc.constant(1),
  org: fc.constant("django"),
  team: fc.constant("security"),
  tracker: fc.constant("django/reports"),
  members: fc.array(member, { minLength: 1, maxLength: 12 }),
});

describe("charter loader properties", () => {
  it("never throws, and every error has a position inside the file", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = load(text);
        if (result.ok) return;
        const lines = text.split("\n").length;
        for (const e of result.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines + 1);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a charter it accepts has unique logins (case-insensitive), a chair, and only real dates", () => {
    fc.assert(
      fc.property(charter, (c) => {
        const result = load(stringify(c));
        const logins = c.members.map((m) => m.login.toLowerCase());
        const dates = c.members.map(
          (m) => new Date(`${m.joined}T00:00:00Z`).toISOString().slice(0, 10) === m.joined,
        );
        const expectedValid =
          new Set(logins).size === logins.length &&
          c.members.some((m) => m.roles.includes("chair")) &&
          dates.every(Boolean);
        expect(result.ok).toBe(expectedValid);
      }),
      { numRuns: 300 },
    );
  });
});

describe("command parser properties", () => {
  it("never throws and only reads a command from the first non-blank line", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (first, rest) => {
        const text = `${first}\n${rest}`;
        const parsed = parseCommand(text);
        const firstLine = text.replace(/\r\n/g, "\n").trimStart().split("\n")[0]?.trim() ?? "";
        if (parsed) expect(firstLine.toLowerCase().startsWith(`/${parsed.name}`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
