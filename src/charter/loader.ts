import jsyaml from "js-yaml";
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { isOnboarding, onboardingEnds, sameLogin } from "./facts.js";
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
  | { ok: true; charter: Charter; locate: (path: PathSegment[]) => { line: number; col: number } }
  | { ok: false; errors: CharterError[] };

export function formatError(e: CharterError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** Larger files are refused before parsing: a charter is a few kilobytes, 1 MiB is generous. */
export const MAX_CHARTER_BYTES = 1024 * 1024;

/** A problem before it is positioned: the path of the offending value (or of its key). */
interface Problem {
  path: PathSegment[];
  onKey?: boolean;
  message: string;
}

/**
 * Parses and validates a charter. Every problem is reported (not just the first), each with the line
 * and column of the offending key or value. `now` matters for one rule: `onboarding: true` on a member
 * whose onboarding has already ended.
 *
 * Valid files take a fast path (js-yaml, core schema: ~10x faster than building a positioned
 * document); any problem sends the file through `yaml`'s positioned parser, which has the last word.
 */
export function loadCharter(text: string, options: { file: string; now: Date }): LoadResult {
  const { file, now } = options;
  if (Buffer.byteLength(text, "utf8") > MAX_CHARTER_BYTES) {
    return { ok: false, errors: [{ file, line: 1, col: 1, message: "file is larger than 1 MiB" }] };
  }
  const fast = fastParse(text);
  if (fast.ok) {
    const checked = check(fast.data, now);
    if (checked.ok) {
      let positioned: Positioned | undefined;
      return {
        ok: true,
        charter: checked.charter,
        locate: (path) => {
          positioned ??= positionedParse(text);
          return positioned.at(positioned.offsetOf(path));
        },
      };
    }
  }
  return slowLoad(text, file, now);
}

function fastParse(text: string): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) };
  } catch {
    return { ok: false };
  }
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

function slowLoad(text: string, file: string, now: Date): LoadResult {
  const positioned = positionedParse(text);
  const { doc } = positioned;
  const error = (offset: number, message: string): CharterError => ({
    file,
    ...positioned.at(offset),
    message,
  });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => error(e.pos[0], `YAML: ${e.message.split("\n")[0]}`)) };
  }
  let data: unknown;
  try {
    data = doc.toJS(); // throws for unresolved or excessive aliases
  } catch (e) {
    return { ok: false, errors: [error(0, `YAML: ${(e as Error).message}`)] };
  }
  const checked = check(data, now);
  if (checked.ok) {
    return { ok: true, charter: checked.charter, locate: (path) => positioned.at(positioned.offsetOf(path)) };
  }
  const errors = checked.problems.map((p) => error(positioned.offsetOf(p.path, p.onKey), p.message));
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line || a.col - b.col) };
}

/** Schema and cross-field rules on parsed data. */
function check(
  data: unknown,
  now: Date,
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
    if (member.onboarding === true && !isOnboarding(charter, member, now)) {
      const ended = onboardingEnds(charter, member).toISOString().slice(0, 10);
      problems.push({
        path: ["members", i, "onboarding"],
        onKey: true,
        message: `members.${i}.onboarding: ${member.login}'s onboarding ended on ${ended}; remove "onboarding: true"`,
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
  const [trackerOwner] = charter.tracker.split("/");
  if (!sameLogin(trackerOwner ?? "", charter.org)) {
    problems.push({
      path: ["tracker"],
      message: `tracker: must be a repository of the org "${charter.org}" (got "${charter.tracker}")`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, charter };
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
