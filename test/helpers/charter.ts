import { readFileSync } from "node:fs";
import type nock from "nock";
import { stringify } from "yaml";
import { loadCharter } from "../../src/charter/loader.js";
import type { Charter } from "../../src/charter/schema.js";

export const EXAMPLE_CHARTER_TEXT = readFileSync(
  new URL("../../config/charter.example.yml", import.meta.url),
  "utf8",
);
export const TEST_NOW = new Date("2026-11-22T12:00:00Z");

/** The example charter, parsed (as of TEST_NOW: `newperson` is onboarding). */
export function exampleCharter(now = TEST_NOW): Charter {
  const result = loadCharter(EXAMPLE_CHARTER_TEXT, { file: "charter.yml", now });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.charter;
}

/** Charter YAML from an object (for tests that build variations). */
export function charterText(charter: unknown): string {
  return stringify(charter);
}

export const CHARTER_CONTENTS_PATH = "/repos/django/.github/contents/.github%2Fsecurity-charter.yml";

/** Answers the app's read of the charter on the default branch (or at `ref`). */
export function replyCharter(scope: nock.Scope, text = EXAMPLE_CHARTER_TEXT, ref?: string): nock.Scope {
  return scope
    .get(CHARTER_CONTENTS_PATH)
    .query(ref ? { ref } : true)
    .reply(200, text, { "content-type": "text/plain; charset=utf-8" });
}
