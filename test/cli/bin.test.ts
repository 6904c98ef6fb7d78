import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `bin/security-team.js` in a checkout: a copy of it beside a fake `lib/` and `src/`, outside the
 * project so that tsx cannot be found (as in an install without dev dependencies).
 */
function checkout(options: { lib: boolean; sourcesNewer: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), "bin-"));
  mkdirSync(join(dir, "bin"));
  copyFileSync("bin/security-team.js", join(dir, "bin/security-team.js"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
  mkdirSync(join(dir, "src/cli"), { recursive: true });
  writeFileSync(join(dir, "src/cli/main.ts"), "export async function main() { return 0; }");
  if (options.lib) {
    mkdirSync(join(dir, "lib/cli"), { recursive: true });
    const lib = join(dir, "lib/cli/main.js");
    writeFileSync(lib, 'export async function main(args) { console.log("lib", ...args); return 3; }');
    const [older, newer] = [new Date("2026-01-01"), new Date("2026-06-01")];
    const [libTime, srcTime] = options.sourcesNewer ? [older, newer] : [newer, older];
    utimesSync(lib, libTime, libTime);
    // A folder's time counts too (a deleted source changes only its folder's).
    for (const path of ["src/cli/main.ts", "src/cli", "src"]) utimesSync(join(dir, path), srcTime, srcTime);
  }
  return (...args: string[]) =>
    spawnSync(process.execPath, [join(dir, "bin/security-team.js"), ...args], { encoding: "utf8" });
}

describe("bin/security-team.js", () => {
  it("runs lib/ when it is newer than every source", () => {
    const run = checkout({ lib: true, sourcesNewer: false })("sweep");
    expect([run.status, run.stdout, run.stderr]).toEqual([3, "lib sweep\n", ""]);
  });

  it("says lib/ is stale when a source changed after the build (and tsx cannot run the sources)", () => {
    const run = checkout({ lib: true, sourcesNewer: true })("sweep");
    expect([run.status, run.stdout, run.stderr]).toEqual([
      3,
      "lib sweep\n",
      "security-team: lib/ is older than src/ (run `npm run build`); running lib/\n",
    ]);
  });

  it("stops with one line when there is neither a build nor tsx", () => {
    const run = checkout({ lib: false, sourcesNewer: false })("sweep");
    expect([run.status, run.stderr]).toEqual([
      1,
      "security-team: not built and tsx is missing: run `npm ci && npm run build`\n",
    ]);
  });
});
