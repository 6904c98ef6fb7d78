import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Node, parseDocument, stringify } from "yaml";
import { loadCharter, MAX_CHARTER_ERRORS, tooDeep } from "../../src/charter/loader.js";
import { parseCommand } from "../../src/commands/parse.js";
import { marker, markersIn } from "../../src/core/markers.js";
import { inert, inertLine, quote, sealed } from "../../src/core/people-text.js";
import { invitations } from "../../src/lifecycle/need-to-know.js";
import { draftText, namedDraft } from "../../src/signoff/commands.js";
import { TEST_NOW } from "../helpers/charter.js";

/**
 * Every parser of people's text this app owns, fed hostile text (long runs of whitespace, newlines,
 * `<!--` and its halves, unbalanced brackets, quotes, up to 100k characters). The properties are
 * about results; the time each takes is measured by `npm run bench -- hostile`, not asserted here.
 */

const PIECES = [
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u2028",
  "<!--",
  "<!-",
  "<!",
  "-->",
  "-",
  "<",
  "!",
  "&lt;",
  "[",
  "]",
  "{",
  "}",
  "(",
  ")",
  ">",
  "> ",
  "`",
  "```",
  '"',
  "'",
  "#",
  "@",
  "/",
  ":",
  "- ",
  "x",
  "security-team:",
  "<!-- security-team:by:shaib -->",
  "<!-- security-team:reminder:acknowledge -->",
  "issuecomment-1",
];

/** A hostile chunk: one piece, or one piece repeated into a long run. */
const chunk = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1_000, max: 20_000 }))
      .map(([piece, n]) => piece.repeat(n).slice(0, 20_000)),
  },
);
/** Hostile text of up to about 100k characters. */
const hostile = fc.array(chunk, { maxLength: 12 }).map((parts) => parts.join("").slice(0, 100_000));
const RUNS = { numRuns: 60 };

describe("people's text written by the app (people-text.ts)", () => {
  it("never carries a marker or starts an HTML comment, however it is quoted", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const written of [inert(text), inertLine(text), quote(text)]) {
          expect(markersIn(written)).toEqual([]);
          expect(written).not.toContain("<!");
        }
        expect(inertLine(text)).not.toMatch(/[\r\n]/);
      }),
      RUNS,
    );
  });

  it("next to the app's markers, leaves exactly the app's markers live", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const body = `${quote(text)}\n\n${inert(text)}\n\n${marker("advisory-comment:1")}\n${marker("by:jane")}`;
        expect(markersIn(body)).toEqual(["advisory-comment:1", "by:jane"]);
        expect(invitations([body])).toEqual(new Map());
        expect(markersIn(sealed(body))).toEqual(["advisory-comment:1", "by:jane"]);
      }),
      RUNS,
    );
  });

  it("sealed (the executor's pass) leaves `<!` only at the start of whole marker lines", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const lines = sealed(text).split("\n");
        for (const line of lines.filter((l) => l.includes("<!"))) {
          expect(markersIn(line)).toHaveLength(1);
          expect(line.lastIndexOf("<!")).toBe(0);
        }
      }),
      RUNS,
    );
  });
});

describe("commands (the first non-blank line)", () => {
  it("name the command of the first non-blank line and nothing else", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ \t\n]{0,20}$/),
        fc.constantFrom("ack", "approve", "draft", "invite"),
        hostile,
        (blank, name, rest) => {
          const parsed = parseCommand(`${blank}/${name} ${rest}`);
          expect(parsed?.name).toBe(name);
          for (const arg of parsed?.args ?? []) expect(arg).not.toMatch(/\s/);
        },
      ),
      RUNS,
    );
  });

  it("are not found in text whose first non-blank line does not start with /", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const first = text.trimStart();
        if (first.startsWith("/")) return;
        expect(parseCommand(text)).toBeUndefined();
        expect(draftText(text)).toBe("");
      }),
      RUNS,
    );
  });

  it("`/approve` names a pending draft, nothing, or something unknown", () => {
    fc.assert(
      fc.property(hostile, hostile, (approve, draft) => {
        const named = namedDraft(approve, [7], new Map([[7, draftText(`/draft ${draft}`)]]));
        expect([7, "unknown", undefined]).toContain(named);
      }),
      RUNS,
    );
  });
});

describe("the charter loader", () => {
  it("answers hostile files with at most 50 errors (and a count), never a throw", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const read = loadCharter(text, { file: "c.yml", now: TEST_NOW });
        if (read.ok) return;
        expect(read.errors.length).toBeGreaterThan(0);
        expect(read.errors.length).toBeLessThanOrEqual(MAX_CHARTER_ERRORS + 1);
      }),
      { numRuns: 30 },
    );
  });

  it("the nesting scan never under-counts what a YAML parser builds, in block or flow style", () => {
    const { node } = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.integer(),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("a", "b", "c"), tie("node"), { maxKeys: 3 }),
      ),
    }));
    const depthOf = (n: unknown): number => {
      if (!n || typeof n !== "object" || !("items" in n)) return 0;
      const items = (n as { items: unknown[] }).items.map((item) =>
        item && typeof item === "object" && "key" in item && "value" in item
          ? Math.max(depthOf(item.key), depthOf(item.value))
          : depthOf(item),
      );
      return 1 + Math.max(0, ...items);
    };
    fc.assert(
      fc.property(node, fc.boolean(), fc.boolean(), (tree, flowStyle, indentSeq) => {
        const text = stringify(tree, { collectionStyle: flowStyle ? "flow" : "any", indentSeq });
        const depth = depthOf(parseDocument(text).contents as Node);
        if (depth > 0) expect(tooDeep(text, depth - 1)).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it("the nesting scan never under-counts flow brackets a parser would open", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.constantFrom("[", "{"), (depth, open) => {
        const text = `x: ${open.repeat(depth)}`;
        expect(tooDeep(text, 32) !== undefined).toBe(depth + 1 > 32);
      }),
    );
  });
});
