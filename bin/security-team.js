#!/usr/bin/env node
// Runs the compiled CLI (lib/) when built and up to date. In a checkout whose sources changed since the
// build (a `git pull` without `npm run build`), or that was never built, runs the sources through tsx,
// so the CLI never runs stale code without saying so.
import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const compiled = join(root, "lib/cli/main.js");
// The build's stamp: `npm run build` touches it (tsc leaves it as it was when only file times changed).
const stamp = join(root, "lib/.tsbuildinfo");
const sources = join(root, "src");
// What the build reads: the same list as `npm start`'s prestart check in package.json.
const inputs = [
  sources,
  ...["package-lock.json", "tsconfig.json", "tsconfig.build.json"].map((name) => join(root, name)),
];

/**
 * The newest modification time of `path` and, for a folder, of everything under it (a folder's own time
 * counts: deleting a source changes only its folder's). Symlinks are not followed; an entry that cannot
 * be read is skipped. A checkout's ~100 sources: a few ms.
 */
function newestChange(path) {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return 0;
  }
  let newest = stats.mtimeMs;
  if (stats.isDirectory()) {
    let names = [];
    try {
      names = readdirSync(path);
    } catch {}
    for (const name of names) newest = Math.max(newest, newestChange(join(path, name)));
  }
  return newest;
}

async function runSources() {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    return join(root, "src/cli/main.ts");
  } catch {
    return undefined; // no tsx (an install without dev dependencies)
  }
}

const built = existsSync(compiled);
const builtAt = built && statSync(existsSync(stamp) ? stamp : compiled).mtimeMs;
// An install has no src/ to run: only a checkout can be stale.
const stale =
  built && existsSync(sources) && Math.max(...inputs.map((input) => newestChange(input))) > builtAt;
let entry = built && !stale ? compiled : await runSources();
if (!entry && built) {
  process.stderr.write("security-team: lib/ is older than its sources (run `npm run build`); running lib/\n");
  entry = compiled;
}
if (!entry) {
  process.stderr.write("security-team: not built and tsx is missing: run `npm ci && npm run build`\n");
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
