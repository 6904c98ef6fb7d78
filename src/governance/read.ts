import { sameLogin } from "../charter/facts.js";
import type { Charter } from "../charter/schema.js";
import type { CharterLocation, CharterRead } from "../charter/source.js";
import type { RepoRef } from "../core/actions.js";
import { type GitHub, statusOf } from "../core/executor.js";
import { graphql } from "../core/graphql.js";
import { rateLimitWait } from "../core/ratelimit.js";
import {
  type CharterFileNode,
  charterFromFile,
  readCharterText,
  SYMLINK_MODE,
} from "../github/charter-source.js";
import { repositoryVisibility } from "../github/repositories.js";
import { bodyPrefix, type NominationLink } from "./pull-body.js";
import type { Nomination } from "./rules.js";

/**
 * The check's reads of the charter repository. The first is one GraphQL request that answers
 * whether a pull request touches the charter at all (so a pull request with 3,000 files and no
 * charter change costs one request), and brings the charter at the default branch's tip and at the
 * head with it.
 */

const CHARTER_FILE =
  "fragment CharterFile on TreeEntry { oid mode object { ... on Blob { text isTruncated } } }";

const PULL_QUERY = `query CharterPull($owner: String!, $name: String!, $path: String!, $head: GitObjectID!, $base: GitObjectID!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name target { oid ... on Commit { file(path: $path) { ...CharterFile } } } }
    head: object(oid: $head) { ... on Commit { file(path: $path) { ...CharterFile } } }
    base: object(oid: $base) { ... on Commit { file(path: $path) { oid mode } } }
  }
}
${CHARTER_FILE}`;

interface FileNode extends CharterFileNode {
  oid: string;
}

interface PullAnswer {
  repository: {
    defaultBranchRef: { name: string; target: { oid: string; file?: FileNode | null } | null } | null;
    head: { file?: FileNode | null } | null;
    base: { file?: { oid: string; mode: number } | null } | null;
  } | null;
}

export interface CharterPull {
  defaultBranch: string;
  /**
   * The file at the head differs from the file at the pull request's base commit, or from the file
   * at the tip of the default branch. A head that kept an older charter while the branch moved on
   * (a merge of the tip that reverts a removal) would change the charter when merged: it is judged.
   * Files are compared as tree entries (id and mode); a symlinked charter, or one GraphQL does not
   * find, by what REST reads (`charterDiffers`).
   */
  touches: boolean;
  /** The charter at the current tip of the default branch, and at the head. */
  tip(): Promise<CharterRead>;
  head(): Promise<CharterRead>;
}

/**
 * Whether the charter differs between these commits. The same tree entry (id AND mode: a submodule's
 * id is whatever its author wrote, so it can copy a blob's) is the same file, except a symlink, whose
 * blob is only the target's path, and no entry at all, which REST may still find (through a symlinked
 * directory on the way): then the charter is what REST reads at each commit, as every other read of
 * the charter does (the team sync included).
 */
async function charterDiffers(
  octokit: GitHub,
  where: CharterLocation,
  at: { ref: string; file: { oid: string; mode: number } | null | undefined }[],
): Promise<boolean> {
  const entries = new Set(at.map(({ file }) => (file ? `${file.mode.toString(8)} ${file.oid}` : "none")));
  if (entries.size > 1) return true;
  const file = at[0]?.file;
  if (file && file.mode !== SYMLINK_MODE) return false;
  const texts = await Promise.all(at.map(({ ref }) => readCharterText(octokit, where, ref)));
  return new Set(texts).size > 1;
}

/** Undefined when the repository or its default branch cannot be seen. */
export async function readCharterPull(
  octokit: GitHub,
  where: CharterLocation,
  now: Date,
  pull: { headSha: string; baseSha: string },
): Promise<CharterPull | undefined> {
  const data = await graphql<PullAnswer>(
    octokit,
    PULL_QUERY,
    { owner: where.org, name: where.repo, path: where.path, head: pull.headSha, base: pull.baseSha },
    { nullWhenNotFound: true },
  );
  const branch = data.repository?.defaultBranchRef;
  if (!branch?.target) return undefined;
  const tipSha = branch.target.oid;
  const headFile = data.repository?.head?.file;
  const baseFile = data.repository?.base?.file;
  return {
    defaultBranch: branch.name,
    touches: await charterDiffers(octokit, where, [
      { ref: pull.headSha, file: headFile },
      { ref: pull.baseSha, file: baseFile },
      { ref: tipSha, file: branch.target.file },
    ]),
    tip: () => charterFromFile(octokit, where, now, branch.target?.file, tipSha),
    head: () => charterFromFile(octokit, where, now, headFile, pull.headSha),
  };
}

const HISTORY_QUERY = `query CharterHistory($owner: String!, $name: String!, $path: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { target { ... on Commit { history(first: 20, path: $path, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { oid file(path: $path) { ...CharterFile } }
    } } } }
  }
}
${CHARTER_FILE}`;

interface HistoryAnswer {
  repository: {
    defaultBranchRef: {
      target: {
        history?: {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          nodes: { oid: string; file: FileNode | null }[];
        };
      } | null;
    } | null;
  } | null;
}

/** The file's commits walked back at most this far (five pages). */
const MAX_HISTORY = 100;

/**
 * The newest valid charter in the default branch's history: the file's commits, newest first,
 * until one loads. Undefined when none does within `MAX_HISTORY` commits.
 */
export async function lastValidCharter(
  octokit: GitHub,
  where: CharterLocation,
  now: Date,
): Promise<{ charter: Charter; commit: string } | undefined> {
  let after: string | null = null;
  for (let seen = 0; seen < MAX_HISTORY; ) {
    const data: HistoryAnswer = await graphql<HistoryAnswer>(
      octokit,
      HISTORY_QUERY,
      { owner: where.org, name: where.repo, path: where.path, after },
      { nullWhenNotFound: true },
    );
    const history = data.repository?.defaultBranchRef?.target?.history;
    if (!history) return undefined;
    for (const node of history.nodes) {
      seen++;
      if (!node.file) continue; // the commit that deleted the file
      const read = await charterFromFile(octokit, where, now, node.file, node.oid);
      if (read.ok) return { charter: read.charter, commit: node.oid };
    }
    if (!history.pageInfo.hasNextPage || history.nodes.length === 0) return undefined;
    after = history.pageInfo.endCursor;
  }
  return undefined;
}

/**
 * What each `Nomination:` link is. Only issues in the charter repository or in a public repository
 * of `policy.nomination.repos` are read; any other link is "not allowed" without a request, so
 * nothing the check writes depends on whether a private issue exists.
 */
export async function readNominations(
  octokit: GitHub,
  charterRepo: RepoRef,
  judgeBy: Charter,
  links: NominationLink[],
): Promise<Nomination[]> {
  const visible = new Map<string, Promise<boolean>>();
  const isPublic = (repo: RepoRef): Promise<boolean> => {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    let answer = visible.get(key);
    if (!answer) {
      answer = repositoryVisibility({ octokit }, repo).then(
        (visibility) => visibility === "public",
        (error: unknown) => {
          if (isUnreadable(error)) return false;
          throw error;
        },
      );
      visible.set(key, answer);
    }
    return answer;
  };
  const sameRepo = (a: RepoRef, b: RepoRef) =>
    sameLogin(a.owner, b.owner) && a.repo.toLowerCase() === b.repo.toLowerCase();
  const listed = (repo: RepoRef) =>
    judgeBy.policy.nomination.repos.some((full) => {
      const [owner = "", name = ""] = full.split("/");
      return sameRepo({ owner, repo: name }, repo);
    });
  return Promise.all(
    links.map(async (link): Promise<Nomination> => {
      if (link.kind === "malformed") return { ref: link.text, found: false, why: "malformed" };
      const repo = link.repo ?? charterRepo;
      const ref = sameRepo(repo, charterRepo)
        ? `#${link.number}`
        : `${repo.owner}/${repo.repo}#${link.number}`;
      if (!sameRepo(repo, charterRepo) && !(listed(repo) && (await isPublic(repo)))) {
        return { ref, found: false, why: "not-allowed" };
      }
      try {
        const { data } = await octokit.rest.issues.get({ ...repo, issue_number: link.number });
        // A transferred issue redirects to where it lives now, perhaps the private tracker: only an
        // issue still in the repository the link names may be read (guarantee 1).
        if (!sameRepo(repositoryOf(data.repository_url), repo))
          return { ref, found: false, why: "not-found" };
        return {
          ref,
          found: true,
          issue: {
            isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
            author: data.user?.login ?? "ghost",
            createdAt: new Date(data.created_at),
            state: data.state === "closed" ? "closed" : "open",
            stateReason: data.state_reason ?? null,
            title: data.title,
            body: bodyPrefix(data.body ?? ""),
          },
        };
      } catch (error) {
        if (isUnreadable(error)) return { ref, found: false, why: "not-found" };
        throw error;
      }
    }),
  );
}

/** `owner/repo` from an API `repository_url` (`…/repos/{owner}/{repo}`). */
function repositoryOf(url: string): RepoRef {
  const [owner = "", repo = ""] = url.split("/repos/").at(-1)?.split("/") ?? [];
  return { owner, repo };
}

/** 404, 410 (deleted) and 403 (no access, not a rate limit) all mean "nothing to read here". */
function isUnreadable(error: unknown): boolean {
  const status = statusOf(error);
  return status === 404 || status === 410 || (status === 403 && rateLimitWait(error) === undefined);
}
