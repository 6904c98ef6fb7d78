import type { CharterError, LoadResult } from "./loader.js";

/** Where the charter lives: `CHARTER_REPO` in the org (default `.github`), at `CHARTER_PATH`. */
export interface CharterLocation {
  org: string;
  repo: string;
  path: string;
}

export const DEFAULT_CHARTER_REPO = ".github";
export const DEFAULT_CHARTER_PATH = ".github/security-charter.yml";

export function charterLocation(org: string, env: NodeJS.ProcessEnv = process.env): CharterLocation {
  return {
    org,
    repo: env.CHARTER_REPO || DEFAULT_CHARTER_REPO,
    path: env.CHARTER_PATH || DEFAULT_CHARTER_PATH,
  };
}

/** The charter as read from GitHub (src/github/charter-source.ts): loaded, invalid, or missing. */
export type CharterRead = LoadResult | { ok: false; missing: true; errors: CharterError[] };
