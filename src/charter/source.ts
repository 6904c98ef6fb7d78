import type { GitHub } from "../core/executor.js";
import { statusOf } from "../core/executor.js";
import { type CharterError, type LoadResult, loadCharter } from "./loader.js";

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

export type CharterRead = LoadResult | { ok: false; missing: true; errors: CharterError[] };

/** Reads and validates the charter at `ref` (default branch when omitted). Never throws for a 404. */
export async function readCharter(
  octokit: GitHub,
  where: CharterLocation,
  now: Date,
  ref?: string,
): Promise<CharterRead> {
  const file = `${where.org}/${where.repo}/${where.path}`;
  try {
    const response = await octokit.rest.repos.getContent({
      owner: where.org,
      repo: where.repo,
      path: where.path,
      ...(ref ? { ref } : {}),
      mediaType: { format: "raw" },
    });
    // Raw content arrives as text or, depending on the content type GitHub answers with, as bytes.
    const data: unknown = response.data;
    const text = typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer);
    return loadCharter(text, { file: where.path, now });
  } catch (error) {
    if (statusOf(error) === 404) {
      return {
        ok: false,
        missing: true,
        errors: [{ file, line: 1, col: 1, message: "charter file not found" }],
      };
    }
    throw error;
  }
}
