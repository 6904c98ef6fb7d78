import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * Runs a benchmark entry in a fresh `node` process on the app compiled to JavaScript, as `npm start`
 * runs it: no tsx loader (≈ 38 MB of RSS on its own) and no test tooling (nock intercepts every
 * `fetch` of a process that imports it). Files are transpiled one by one (no type check: `tsc`
 * already does that), into a temporary directory that links back to `node_modules` and `config`.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = ["src", "bench", "test/helpers"];
let outDir: string | undefined;

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function compile(): string {
  if (outDir) return outDir;
  const dir = mkdtempSync(join(tmpdir(), "security-team-bench-"));
  for (const file of SOURCES.flatMap(tsFiles)) {
    const { outputText } = ts.transpileModule(readFileSync(join(ROOT, file), "utf8"), {
      compilerOptions: {
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const out = join(dir, file.replace(/\.ts$/, ".js"));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  for (const link of ["node_modules", "config"]) symlinkSync(join(ROOT, link), join(dir, link));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  outDir = dir;
  return dir;
}

/** Node's flags in `npm start` (package.json), the settings of the app in production. */
export const START_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));

/** Runs `bench/<entry>.ts` compiled, with `args`; its stdout is one JSON value, returned parsed. */
export function runCompiled<T>(entry: string, args: string[], nodeFlags: string[] = []): T {
  const script = join(compile(), "bench", `${entry}.js`);
  const child = spawnSync(process.execPath, [...nodeFlags, script, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    timeout: 240_000,
  });
  if (child.status !== 0) throw new Error(`bench/${entry} ${args.join(" ")} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as T;
}
