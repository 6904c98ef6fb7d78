#!/usr/bin/env node
// Runs the compiled CLI (lib/) when built; in a checkout without a build, runs the sources through tsx.
import { existsSync } from "node:fs";

const compiled = new URL("../lib/cli/main.js", import.meta.url);
let entry = compiled;
if (!existsSync(compiled)) {
  const { register } = await import("tsx/esm/api");
  register();
  entry = new URL("../src/cli/main.ts", import.meta.url);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
