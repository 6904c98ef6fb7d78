/**
 * Parsers of people's text in charter pull requests: the PR body (`Nomination:` links, removal
 * citations) and review bodies (`COI:` disclosures). Every one reads only the first 64 KiB and works
 * line by line with short anchored patterns, so its time is linear in its input whatever the text.
 */

/** PR and review bodies are read up to this many bytes (UTF-8); the rest is ignored. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The first `MAX_BODY_BYTES` of `text`, cut on a character boundary. */
export function bodyPrefix(text: string): string {
  // A UTF-16 code unit is at least one byte, so this slice holds the whole byte prefix.
  const head = text.slice(0, MAX_BODY_BYTES);
  const bytes = Buffer.from(head, "utf8");
  if (bytes.length <= MAX_BODY_BYTES) return head;
  // Decoding a cut multi-byte character yields U+FFFD: drop it.
  return bytes
    .subarray(0, MAX_BODY_BYTES)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

/**
 * The lines of the body's prefix that hold a colon (every field these parsers read has one), each
 * without leading whitespace. The search jumps from colon to colon, so blank lines and prose cost a
 * native scan, and each line is looked at once however many colons it holds.
 */
function* lines(body: string): Generator<string> {
  const text = bodyPrefix(body);
  let colon = text.indexOf(":");
  while (colon !== -1) {
    const start = text.lastIndexOf("\n", colon) + 1;
    const newline = text.indexOf("\n", colon);
    const end = newline === -1 ? text.length : newline;
    yield text.slice(start, end).trimStart();
    colon = newline === -1 ? -1 : text.indexOf(":", end);
  }
}

/** A `Nomination:` line: an issue in the charter repository (`#12`) or a GitHub issue URL. */
export type NominationLink =
  | { kind: "issue"; number: number; repo?: { owner: string; repo: string }; text: string }
  | { kind: "malformed"; text: string };

const NOMINATION_LINE = /^nomination:[ \t]*(\S*)/i;
const LOCAL_ISSUE = /^#([1-9][0-9]{0,9})$/;
const ISSUE_URL =
  /^https:\/\/github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9_.-]{1,100})\/issues\/([1-9][0-9]{0,9})\/?$/;

/**
 * Every distinct `Nomination:` line of a PR body, in order. A value that is neither `#123` nor
 * `https://github.com/<owner>/<repo>/issues/<n>` is kept as `malformed`, so the check can say so.
 */
export function parseNominationLinks(body: string): NominationLink[] {
  const links: NominationLink[] = [];
  const seen = new Set<string>();
  for (const line of lines(body)) {
    const match = NOMINATION_LINE.exec(line);
    if (!match) continue;
    const value = (match[1] ?? "").slice(0, 200);
    const local = LOCAL_ISSUE.exec(value);
    const url = local ? null : ISSUE_URL.exec(value);
    const link: NominationLink = local
      ? { kind: "issue", number: Number(local[1]), text: value }
      : url
        ? {
            kind: "issue",
            number: Number(url[3]),
            repo: { owner: url[1] ?? "", repo: url[2] ?? "" },
            text: `${url[1]}/${url[2]}#${url[3]}`,
          }
        : { kind: "malformed", text: value };
    const key = link.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    links.push(link);
  }
  return links;
}

export type CitationKind = "Steering-Council-Vote" | "Code-of-Conduct";

/** A removal citation line: `Steering-Council-Vote: <link>` or `Code-of-Conduct: <link>`. */
export interface RemovalCitation {
  kind: CitationKind;
  link: string;
}

const CITATION_LINE = /^(steering-council-vote|code-of-conduct):[ \t]*(https:\/\/\S{1,500})/i;

/** Every removal citation in a PR body, in order. */
export function parseRemovalCitations(body: string): RemovalCitation[] {
  const citations: RemovalCitation[] = [];
  for (const line of lines(body)) {
    const match = CITATION_LINE.exec(line);
    if (!match) continue;
    const kind: CitationKind =
      (match[1] ?? "").toLowerCase() === "code-of-conduct" ? "Code-of-Conduct" : "Steering-Council-Vote";
    citations.push({ kind, link: match[2] ?? "" });
  }
  return citations;
}

/** `COI:` at the start of a line or after whitespace, in a review body, discloses a conflict of interest. */
export function disclosesConflict(body: string): boolean {
  for (const line of lines(body)) {
    const lower = line.toLowerCase();
    for (let at = lower.indexOf("coi:"); at !== -1; at = lower.indexOf("coi:", at + 1)) {
      if (at === 0 || /\s/.test(lower[at - 1] ?? "")) return true;
    }
  }
  return false;
}
