import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { charterWarnings, isOnboarding, onboardingEnds, sameLogin } from "./facts.js";
import { type Charter, charterSchema } from "./schema.js";

/** One problem in a charter file, positioned for humans (`file:line:col`) and check annotations. */
export interface CharterError {
  file: string;
  line: number;
  col: number;
  message: string;
}

export type PathSegment = string | number;

export type LoadResult =
  | {
      ok: true;
      charter: Charter;
      locate: (path: PathSegment[]) => { line: number; col: number };
      /** What time has made stale (never an error: validity does not depend on the clock). */
      warnings: CharterError[];
    }
  | { ok: false; errors: CharterError[] };

export function formatError(e: CharterError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** Larger files are refused before parsing: a charter is a few kilobytes, 1 MiB is generous. */
export const MAX_CHARTER_BYTES = 1024 * 1024;
/** Deeper files are refused before parsing: a charter nests 5 levels; YAML parsers recurse per level. */
export const MAX_CHARTER_DEPTH = 32;
/** A file with thousands of mistakes gets the first ones and a count: the author fixes them in turn. */
export const MAX_CHARTER_ERRORS = 50;

/** A problem before it is positioned: the path of the offending value (or of its key). */
interface Problem {
  path: PathSegment[];
  onKey?: boolean;
  message: string;
}

export interface LoadOptions {
  file: string;
  now: Date;
  /**
   * The org the charter is read from (the installation's). A charter governs only its own org: one
   * whose `org` or `tracker` names another is refused, so no writer ever acts on it.
   */
  org?: string;
}

/**
 * Parses and validates a charter. Every problem is reported (not just the first), each with the line
 * and column of the offending key or value. Whether a file is valid never depends on the clock (a
 * committed charter must not turn invalid as days pass); `now` only yields warnings, such as
 * `onboarding: true` on a member whose onboarding has ended.
 */
export function loadCharter(text: string, options: LoadOptions): LoadResult {
  const { file, now, org } = options;
  if (Buffer.byteLength(text, "utf8") > MAX_CHARTER_BYTES) {
    return { ok: false, errors: [{ file, line: 1, col: 1, message: "file is larger than 1 MiB" }] };
  }
  const deep = tooDeep(text, MAX_CHARTER_DEPTH);
  if (deep !== undefined) {
    const message = `nested deeper than ${MAX_CHARTER_DEPTH} levels (a charter needs about 5): flatten it`;
    return { ok: false, errors: [{ file, line: deep, col: 1, message }] };
  }
  const positioned = positionedParse(text);
  const { doc } = positioned;
  const error = (offset: number, message: string): CharterError => ({
    file,
    ...positioned.at(offset),
    message,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: capped(doc.errors.map((e) => error(e.pos[0], `YAML: ${e.message.split("\n")[0]}`))),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS(); // throws for unresolved or excessive aliases
  } catch (e) {
    return { ok: false, errors: [error(0, `YAML: ${(e as Error).message}`)] };
  }
  const checked = check(data, org);
  if (checked.ok) {
    return {
      ok: true,
      charter: checked.charter,
      locate: (path) => positioned.at(positioned.offsetOf(path)),
      warnings: staleFacts(checked.charter, now).map((p) =>
        error(positioned.offsetOf(p.path, p.onKey), p.message),
      ),
    };
  }
  const errors = checked.problems.map((p) => error(positioned.offsetOf(p.path, p.onKey), p.message));
  return { ok: false, errors: capped(errors.sort((a, b) => a.line - b.line || a.col - b.col)) };
}

interface Positioned {
  doc: Document.Parsed;
  at(offset: number): { line: number; col: number };
  /** The deepest existing node on `path`: its key when `onKey`, otherwise its value. */
  offsetOf(path: PathSegment[], onKey?: boolean): number;
}

function positionedParse(text: string): Positioned {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const offsetOf = (path: PathSegment[], onKey = false): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      if (onKey && depth > 0) {
        const parent = prefix.length === 1 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
        const last = prefix[prefix.length - 1];
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
          if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
        }
      }
      const node = depth === 0 ? doc.contents : doc.getIn(prefix, true);
      if (isNode(node) && node.range) return node.range[0];
    }
    return 0;
  };
  return { doc, at: (offset) => lineCounter.linePos(offset), offsetOf };
}

/** `- ` or `? ` (or a lone `-`, `?`) at `i`: a sequence item or a complex key opens a level. */
function isItem(text: string, i: number, end: number): boolean {
  return (text[i] === "-" || text[i] === "?") && (i + 1 === end || text[i + 1] === " ");
}

/** The first `MAX_CHARTER_ERRORS`, then one line counting the rest, placed where the rest begin. */
function capped(errors: CharterError[]): CharterError[] {
  const rest = errors[MAX_CHARTER_ERRORS];
  if (!rest) return errors;
  const more = (errors.length - MAX_CHARTER_ERRORS).toLocaleString("en-US");
  return [...errors.slice(0, MAX_CHARTER_ERRORS), { ...rest, message: `… and ${more} more` }];
}

/**
 * The first line (1-based) at which the text nests deeper than `limit`, or undefined. One pass, no
 * document built. It may over-count, never under-count, what a YAML parser builds. Block levels are
 * the columns where collections start, kept on a stack: a line's content at column c (a mapping
 * there), and each `- ` or `? ` at column c (a sequence inside the mapping at c, even at the same
 * indentation). Flow levels are the `[` and `{` outside quotes and comments, carried across lines as
 * flow collections are. Block scalars get no exception: a charter's prose never holds 32 open brackets.
 */
export function tooDeep(text: string, limit: number): number | undefined {
  const columns: number[] = []; // doubled: content at c is 2c, an item's dash at c is 2c + 1
  let block = 0; // block levels where the current flow collection opened
  let flow = 0;
  let lineNumber = 0;
  for (let start = 0; start <= text.length; lineNumber++) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    let i = start;
    while (i < end && text[i] === " ") i++;
    if (flow === 0 && i < end && text[i] !== "#" && text[i] !== "\r") {
      const first = 2 * (i - start) + (isItem(text, i, end) ? 1 : 0);
      while (columns.length > 0 && (columns.at(-1) as number) >= first) columns.pop();
      while (isItem(text, i, end) && columns.length <= limit) {
        columns.push(2 * (i - start) + 1);
        i++;
        while (i < end && text[i] === " ") i++;
      }
      if (i < end) columns.push(2 * (i - start));
      block = columns.length;
    }
    if (block + flow > limit) return lineNumber + 1;
    let quote = "";
    let last = " "; // a quote opens a scalar only where a token starts
    for (; i < end; i++) {
      const c = text[i] as string;
      if (quote) {
        if (c === "\\" && quote === '"') i++;
        else if (c === quote) quote = "";
        continue;
      }
      if (c === "#" && (last === " " || last === "\t")) break;
      if ((c === '"' || c === "'") && " \t[{,:-?".includes(last)) quote = c;
      else if (c === "[" || c === "{") {
        if (block + ++flow > limit) return lineNumber + 1;
      } else if ((c === "]" || c === "}") && flow > 0) flow--;
      last = c;
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  return undefined;
}

/** Schema and cross-field rules on parsed data: nothing here depends on the clock. */
function check(
  data: unknown,
  org: string | undefined,
): { ok: true; charter: Charter } | { ok: false; problems: Problem[] } {
  const parsed = charterSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(zodProblems) };
  const charter = parsed.data;
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  charter.members.forEach((member, i) => {
    const key = member.login.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        path: ["members", i, "login"],
        message: `members.${i}.login: duplicate login "${member.login}" (same as members.${first}; logins are case-insensitive)`,
      });
    } else {
      seen.set(key, i);
    }
    if (member.until !== undefined && member.until < member.joined) {
      problems.push({
        path: ["members", i, "until"],
        message: `members.${i}.until: ${member.until} is earlier than joined (${member.joined}); a term cannot end before it starts`,
      });
    }
  });
  if (!charter.members.some((m) => m.roles.includes("chair"))) {
    problems.push({
      path: ["members"],
      onKey: true,
      message: 'members: no chair; give one member the role "chair"',
    });
  }
  if (org !== undefined && !sameLogin(charter.org, org)) {
    problems.push({
      path: ["org"],
      message: `org: this charter is read from the org "${org}" and governs only it (got "${charter.org}"; set \`org: ${org}\`)`,
    });
  }
  const home = org ?? charter.org;
  const [trackerOwner] = charter.tracker.split("/");
  if (!sameLogin(trackerOwner ?? "", home)) {
    problems.push({
      path: ["tracker"],
      message: `tracker: must be a repository of the org "${home}" (got "${charter.tracker}")`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, charter };
}

/** What time has made stale in a valid charter: warnings, never errors. */
function staleFacts(charter: Charter, now: Date): Problem[] {
  const stale: Problem[] = [];
  charter.members.forEach((member, i) => {
    if (member.onboarding === true && !isOnboarding(charter, member, now)) {
      const ended = onboardingEnds(charter, member).toISOString().slice(0, 10);
      stale.push({
        path: ["members", i, "onboarding"],
        onKey: true,
        message: `members.${i}.onboarding: ${member.login}'s onboarding ended on ${ended}; remove "onboarding: true"`,
      });
    }
  });
  // A term that has ended: the sweep's term-end pull request removes them (see membership/term.ts).
  stale.push(...charterWarnings(charter, now));
  return stale;
}

function zodProblems(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  const where = path.length > 0 ? path.join(".") : "";
  const prefix = where ? `${where}: ` : "";
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...path, key],
      onKey: true,
      message: `${prefix}unknown key "${key}"`,
    }));
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return [{ path, message: `${prefix}required` }];
  }
  return [{ path, message: `${prefix}${describeIssue(issue)}` }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(issue.input)}`;
    case "too_small":
      return issue.origin === "array"
        ? `needs at least ${issue.minimum} item(s)`
        : `must be at least ${issue.minimum}`;
    case "too_big":
      return `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
