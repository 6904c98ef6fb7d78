import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Tests replace no module: what a test fakes is passed in (the sweep's steps, the CLI's commands, a
 * runtime), so a test exercises the wiring the app runs with and cannot fake a module by its path.
 */
const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MODULE_MOCK = /\bvi\s*\.\s*(?:do)?[mM]ock\s*\(/;

function mockingFiles(files: { path: string; text: string }[]): string[] {
  return files.filter((f) => MODULE_MOCK.test(f.text)).map((f) => f.path);
}

describe("tests", () => {
  it("replace no module with vi.mock", () => {
    const files = readdirSync(TESTS, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.startsWith("architecture/"))
      .map((path) => ({ path, text: readFileSync(join(TESTS, path), "utf8") }));
    expect(files.length).toBeGreaterThan(50);
    expect(mockingFiles(files)).toEqual([]);
  });

  it("are read for every spelling of a module mock (a control)", () => {
    expect(
      mockingFiles([
        { path: "a.ts", text: 'vi.mock("../../src/reports/poll.js", () => ({}));' },
        { path: "b.ts", text: "vi.doMock('../x.js')" },
        { path: "c.ts", text: "vi\n  .mock(`../y.js`)" },
        { path: "d.ts", text: "const f = vi.fn(); vi.mocked(f); vi.spyOn(o, 'm');" },
      ]),
    ).toEqual(["a.ts", "b.ts", "c.ts"]);
  });
});
