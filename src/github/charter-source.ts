import { loadCharter } from "../charter/loader.js";
import type { CharterLocation, CharterRead } from "../charter/source.js";
import type { GitHub } from "../core/executor.js";
import { statusOf } from "../core/executor.js";

/** Reads and validates the charter at `ref` (default branch when omitted). Never throws for a 404. */
export async function readCharter(
  octokit: GitHub,
  where: CharterLocation,
  now: Date,
  ref?: string,
): Promise<CharterRead> {
  const text = await readCharterText(octokit, where, ref);
  if (text === undefined) return charterMissing(where);
  return loadCharter(text, { file: where.path, now, org: where.org });
}

/** The charter file's text at `ref` (default branch when omitted), or undefined when there is none. */
export async function readCharterText(
  octokit: GitHub,
  where: CharterLocation,
  ref?: string,
): Promise<string | undefined> {
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
    return typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The charter's part of a GraphQL query, so that a handler reads the charter in the same round trip
 * as the state it acts on. Declare `CHARTER_QUERY_VARIABLES` in the operation, pass
 * `charterVariables(where)`, and hand the `charter` field of the answer to `charterFromQuery`.
 */
export const CHARTER_QUERY_VARIABLES = "$charterOwner: String!, $charterRepo: String!, $charterPath: String!";
export const CHARTER_QUERY_FIELD = `charter: repository(owner: $charterOwner, name: $charterRepo) {
    defaultBranchRef { target { ... on Commit { file(path: $charterPath) { mode object { ... on Blob { text isTruncated } } } } } }
  }`;

export function charterVariables(where: CharterLocation): Record<string, string> {
  return { charterOwner: where.org, charterRepo: where.repo, charterPath: where.path };
}

export interface CharterFileNode {
  mode: number;
  object: { text?: string | null; isTruncated?: boolean } | null;
}

export interface CharterNode {
  defaultBranchRef: { target: { file?: CharterFileNode | null } | null } | null;
}

/** Git's mode for a symbolic link: its blob is the target's path, which REST follows and GraphQL does not. */
export const SYMLINK_MODE = 0o120000;

/**
 * The charter from a GraphQL answer. GitHub truncates a large blob's text (and gives none for a
 * binary one), a symlink's blob is a path, and GraphQL finds no file through a symlinked directory:
 * the charter is then read again over REST, which has no such limit and follows links, as every
 * other read of the charter does.
 */
export async function charterFromQuery(
  octokit: GitHub,
  where: CharterLocation,
  now: Date,
  node: CharterNode | null,
): Promise<CharterRead> {
  const target = node?.defaultBranchRef?.target;
  if (!target) return charterMissing(where); // no repository or no branch: REST has nothing either
  return charterFromFile(octokit, where, now, target.file);
}

/** A GraphQL file node of the charter at `ref` (default branch when omitted), read as `charterFromQuery` says. */
export async function charterFromFile(
  octokit: GitHub,
  where: CharterLocation,
  now: Date,
  file: CharterFileNode | null | undefined,
  ref?: string,
): Promise<CharterRead> {
  const text = file?.object?.text;
  if (typeof text !== "string" || file?.object?.isTruncated || file?.mode === SYMLINK_MODE) {
    return readCharter(octokit, where, now, ref);
  }
  return loadCharter(text, { file: where.path, now, org: where.org });
}

function charterMissing(where: CharterLocation): CharterRead {
  const file = `${where.org}/${where.repo}/${where.path}`;
  return { ok: false, missing: true, errors: [{ file, line: 1, col: 1, message: "charter file not found" }] };
}
