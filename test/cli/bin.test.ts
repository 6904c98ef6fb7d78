import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const [BEFORE, BUILT, AFTER] = [new Date("2026-01-01"), new Date("2026-06-01"), new Date("2026-09-01")];

/** Sets the time of `path` and of everything under it, without following symlinks. */
function age(path: string, time: Date) {
  lutimesSync(path, time, time);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) age(join(path, name), time);
  lutimesSync(path, time, time); // after its entries: writing them changed it
}

/**
 * `bin/security-team.js` in a throwaway checkout: a copy of it beside a fake `lib/` and `src/` and the
 * build's inputs, outside the project so that tsx cannot be found (as in an install without dev
 * dependencies) unless `tsx` links the project's node_modules in. Every file dates from BEFORE the
 * build's stamp; `prepare` adds files before the times are set.
 */
const checkouts: string[] = [];
afterAll(() => {
  for (const dir of checkouts) rmSync(dir, { recursive: true });
});

function checkout(options: { lib: boolean; tsx?: boolean; prepare?: (dir: string) => void }) {
  const dir = mkdtempSync(join(tmpdir(), "bin-"));
  checkouts.push(dir);
  mkdirSync(join(dir, "bin"));
  copyFileSync("bin/security-team.js", join(dir, "bin/security-team.js"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
  for (const name of ["package-lock.json", "tsconfig.json", "tsconfig.build.json"])
    writeFileSync(join(dir, name), "{}");
  mkdirSync(join(dir, "src/cli"), { recursive: true });
  // Type annotations: only tsx can run it.
  const source =
    'export async function main(args: string[]): Promise<number> { console.log("src", ...args); return 4; }';
  writeFileSync(join(dir, "src/cli/main.ts"), source);
  if (options.lib) {
    mkdirSync(join(dir, "lib/cli"), { recursive: true });
    writeFileSync(
      join(dir, "lib/cli/main.js"),
      'export async function main(args) { console.log("lib", ...args); return 3; }',
    );
    writeFileSync(join(dir, "lib/.tsbuildinfo"), "{}");
  }
  options.prepare?.(dir);
  age(dir, BEFORE);
  if (options.lib) utimesSync(join(dir, "lib/.tsbuildinfo"), BUILT, BUILT);
  if (options.tsx) symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  return {
    dir,
    run: (...args: string[]) =>
      spawnSync(process.execPath, [join(dir, "bin/security-team.js"), ...args], {
        cwd: dir,
        encoding: "utf8",
      }),
  };
}

const STALE = "security-team: lib/ is older than its sources (run `npm run build`); running lib/\n";

describe("bin/security-team.js", () => {
  it("runs lib/ when the build's stamp is newer than every input", () => {
    const run = checkout({ lib: true }).run("sweep");
    expect([run.status, run.stdout, run.stderr]).toEqual([3, "lib sweep\n", ""]);
  });

  it("goes by the stamp: lib/ files older than the sources but a newer stamp (tsc kept unchanged outputs) run lib/", () => {
    const { dir, run } = checkout({ lib: true });
    utimesSync(join(dir, "lib/cli/main.js"), BEFORE, BEFORE);
    utimesSync(join(dir, "src/cli/main.ts"), new Date("2026-03-01"), new Date("2026-03-01"));
    const result = run("sweep");
    expect([result.status, result.stdout, result.stderr]).toEqual([3, "lib sweep\n", ""]);
  });

  it("runs the sources through tsx when a source changed after the build", () => {
    const { dir, run } = checkout({ lib: true, tsx: true });
    utimesSync(join(dir, "src/cli/main.ts"), AFTER, AFTER);
    const result = run("sweep");
    expect([result.status, result.stdout, result.stderr]).toEqual([4, "src sweep\n", ""]);
  });

  it("says lib/ is stale when a source changed after the build (and tsx cannot run the sources)", () => {
    const { dir, run } = checkout({ lib: true });
    utimesSync(join(dir, "src/cli/main.ts"), AFTER, AFTER);
    const result = run("sweep");
    expect([result.status, result.stdout, result.stderr]).toEqual([3, "lib sweep\n", STALE]);
  });

  it.each(["package-lock.json", "tsconfig.json", "tsconfig.build.json"])("counts %s as a source", (name) => {
    const { dir, run } = checkout({ lib: true });
    utimesSync(join(dir, name), AFTER, AFTER);
    expect(run("sweep").stderr).toBe(STALE);
  });

  it("notices a top-level source deleted after the build (only src/'s own time changes)", () => {
    const { dir, run } = checkout({
      lib: true,
      prepare: (dir) => writeFileSync(join(dir, "src/old.ts"), ""),
    });
    expect(run("sweep").stderr).toBe("");
    unlinkSync(join(dir, "src/old.ts"));
    const result = run("sweep");
    expect([result.status, result.stdout, result.stderr]).toEqual([3, "lib sweep\n", STALE]);
  });

  it("reads names with # and ? and a broken symlink under src/ without crashing", () => {
    const prepare = (dir: string) => {
      writeFileSync(join(dir, "src/a#b.ts"), "");
      writeFileSync(join(dir, "src/c?d.ts"), "");
      symlinkSync("missing.ts", join(dir, "src/cli/broken.ts"));
    };
    const { dir, run } = checkout({ lib: true, prepare });
    expect(run("sweep")).toMatchObject({ status: 3, stdout: "lib sweep\n", stderr: "" });
    utimesSync(join(dir, "src/a#b.ts"), AFTER, AFTER);
    expect(run("sweep")).toMatchObject({ status: 3, stdout: "lib sweep\n", stderr: STALE });
  });

  it("stops with one line when there is neither a build nor tsx", () => {
    const run = checkout({ lib: false }).run("sweep");
    expect([run.status, run.stderr]).toEqual([
      1,
      "security-team: not built and tsx is missing: run `npm ci && npm run build`\n",
    ]);
  });
});
