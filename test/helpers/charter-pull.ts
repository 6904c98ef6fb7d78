import { createHash } from "node:crypto";

/** A stand-in for a git blob id: equal texts, equal ids. */
function blobId(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function fileNode(text: string) {
  return { oid: blobId(text), mode: 0o100644, object: { text, isTruncated: false } };
}

/**
 * The answer to the `charter` check's first read (one GraphQL query): the default branch and the
 * charter at its tip, at the pull request's head, and the file's id and mode at its base commit.
 */
export function charterPullAnswer(
  tip: string,
  head: string,
  options: { base?: string; branch?: string; tipSha?: string } = {},
) {
  return {
    data: {
      repository: {
        defaultBranchRef: {
          name: options.branch ?? "master",
          target: { oid: options.tipSha ?? "1".repeat(40), file: fileNode(tip) },
        },
        head: { file: fileNode(head) },
        base: { file: { oid: blobId(options.base ?? tip), mode: 0o100644 } },
      },
    },
  };
}
