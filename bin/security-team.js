#!/usr/bin/env node
// Runs the compiled CLI (lib/) when built and up to date. In a checkout whose sources changed since the
// build (a `git pull` without `npm run build`), or that was never built, runs the sources through tsx,
// so the CLI never runs stale code without saying so.
import { existsSync, readdirSync, statSync } from "node:fs";

const compiled = new URL("../lib/cli/main.js", import.meta.url);
// The build's stamp, as `npm start` reads it: tsc leaves an unchanged output file as it was.
const stamp = new URL("../lib/.tsbuildinfo", import.meta.url);
const sources = new URL("../src/", import.meta.url);

/** The newest modification time of any file under `dir` (a checkout's ~100 sources: a few ms). */
function newestChange(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    newest = Math.max(newest, statSync(new URL(name, dir)).mtimeMs);
  }
  return newest;
}

async function runSources() {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    return new URL("../src/cli/main.ts", import.meta.url);
  } catch {
    return undefined; // no tsx (an install without dev dependencies)
  }
}

const built = existsSync(compiled);
const builtAt = built && statSync(existsSync(stamp) ? stamp : compiled).mtimeMs;
const stale = built && existsSync(sources) && newestChange(sources) > builtAt;
let entry = built && !stale ? compiled : await runSources();
if (!entry && built) {
  process.stderr.write("security-team: lib/ is older than src/ (run `npm run build`); running lib/\n");
  entry = compiled;
}
if (!entry) {
  process.stderr.write("security-team: not built and tsx is missing: run `npm ci && npm run build`\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
