import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { standingReviews } from "../../src/github/reviews.js";
import {
  bodyPrefix,
  disclosesConflict,
  MAX_BODY_BYTES,
  parseNominationLinks,
  parseRemovalCitations,
} from "../../src/governance/pull-body.js";
import { removalRule } from "../../src/governance/rules.js";
import { exampleCharter, TEST_NOW } from "../helpers/charter.js";

/**
 * The PR-body and review-body parsers, fed what an attacker would write. Times are never asserted
 * (see `npm run bench`); results are: the parsers read the first 64 KiB, line by line, and what
 * they find does not depend on anything after it.
 */

describe("nomination links", () => {
  it("finds `Nomination: #123` and issue URLs, one per line, each once, indented or not", () => {
    expect(
      parseNominationLinks(
        "Adds alice.\n\nNomination: #123\n  nomination: https://github.com/django/.github/issues/7\nsee #9\nNomination: #123",
      ),
    ).toEqual([
      { kind: "issue", number: 123, text: "#123" },
      { kind: "issue", number: 7, repo: { owner: "django", repo: ".github" }, text: "django/.github#7" },
    ]);
    expect(parseNominationLinks("Nominated in #123")).toEqual([]);
  });

  it("keeps a line that is not an issue link as malformed (a pull request URL, another host, prose)", () => {
    expect(
      parseNominationLinks(
        [
          "Nomination: https://github.com/django/.github/pull/5",
          "Nomination: https://evil.example/django/.github/issues/5",
          "Nomination: see the mailing list",
          "Nomination:",
        ].join("\n"),
      ).map((l) => [l.kind, l.text]),
    ).toEqual([
      ["malformed", "https://github.com/django/.github/pull/5"],
      ["malformed", "https://evil.example/django/.github/issues/5"],
      ["malformed", "see"],
      ["malformed", ""],
    ]);
  });

  it("reads only the first 64 KiB: a link after 100,000 characters of whitespace is not seen", () => {
    expect(parseNominationLinks(`${" ".repeat(100_000)}\nNomination: #12`)).toEqual([]);
    expect(parseNominationLinks(`${"\n".repeat(100_000)}Nomination: #12`)).toEqual([]);
    // Positive control: the same link inside the prefix is found.
    expect(parseNominationLinks(`${" \n".repeat(30_000)}Nomination: #12`)).toEqual([
      { kind: "issue", number: 12, text: "#12" },
    ]);
  });
});

describe("removal citations", () => {
  it("finds both kinds, case-insensitively, only with an https link", () => {
    expect(
      parseRemovalCitations(
        "Steering-Council-Vote: https://forum.example/t/1\n code-of-conduct: https://github.com/django/conduct/4\nCode-of-Conduct: by email\nCode-of-Conduct: http://plain.example",
      ),
    ).toEqual([
      { kind: "Steering-Council-Vote", link: "https://forum.example/t/1" },
      { kind: "Code-of-Conduct", link: "https://github.com/django/conduct/4" },
    ]);
  });

  it("ReDoS attempt: 65,535 newlines then four removals' citations: nothing past 64 KiB is read, nothing stalls", () => {
    const citations = ["shaib", "felixxm", "nessita", "charettes"]
      .map((login) => `Code-of-Conduct: https://github.com/django/conduct/issues/${login}`)
      .join("\n");
    const body = `${"\n".repeat(65_535)}${citations}`;
    expect(parseRemovalCitations(body)).toEqual([]);

    // What the check then says for the four removals: not cited, still needs the removal rule.
    const base = exampleCharter();
    const pull = { author: "sarahboyce", body, reviews: standingReviews([]), openedAt: TEST_NOW };
    for (const login of ["shaib", "felixxm", "nessita", "charettes"]) {
      const member = base.members.find((m) => m.login === login);
      if (!member) throw new Error(login);
      const result = removalRule(base, member, pull, TEST_NOW);
      expect(result.verdict).toBe("pending");
      expect(result.reason).not.toContain("cites");
    }
    // Positive control: the same citations at the top are all read.
    expect(parseRemovalCitations(`${citations}${"\n".repeat(65_535)}`)).toHaveLength(4);
  });
});

describe("COI disclosure", () => {
  it("finds `COI:` at the start of a line or after whitespace, in any case", () => {
    expect(disclosesConflict("COI: Zapier")).toBe(true);
    expect(disclosesConflict("LGTM.\n  coi: same employer")).toBe(true);
    expect(disclosesConflict("LGTM. COI: colleague")).toBe(true);
    expect(disclosesConflict("NOCOI: none")).toBe(false);
    expect(disclosesConflict("LGTM")).toBe(false);
  });

  it("reads only the first 64 KiB of a review", () => {
    expect(disclosesConflict(`${" ".repeat(MAX_BODY_BYTES)}COI: late`)).toBe(false);
    expect(disclosesConflict(`${" ".repeat(MAX_BODY_BYTES - 10)}COI: x`)).toBe(true);
  });
});

describe("the 64 KiB prefix", () => {
  it("cuts on a character boundary, in bytes of UTF-8", () => {
    const text = "é".repeat(MAX_BODY_BYTES); // two bytes each
    const prefix = bodyPrefix(text);
    expect(Buffer.byteLength(prefix, "utf8")).toBe(MAX_BODY_BYTES);
    expect(prefix).toBe("é".repeat(MAX_BODY_BYTES / 2));
    expect(bodyPrefix(`${"a".repeat(MAX_BODY_BYTES - 1)}é`)).toBe("a".repeat(MAX_BODY_BYTES - 1));
  });
});

/** Hostile text: long whitespace runs, newlines, comment openers, unbalanced brackets, lookalike keys. */
const hostileChunk = fc.oneof(
  fc.constantFrom(
    "\n",
    "\r\n",
    " ",
    "\t",
    "<!--",
    "-->",
    "[",
    "]",
    "(",
    ")",
    "`",
    "#",
    "Nomination:",
    "nomination: ",
    "Code-of-Conduct: ",
    "Steering-Council-Vote:",
    "COI:",
    "https://",
    "https://github.com/django/.github/issues/",
    "\u00a0",
    "\u2028",
  ),
  fc.integer({ min: 1, max: 9999 }).map(String),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: 1, max: 20_000 }).map((n) => " ".repeat(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => "\n".repeat(n)),
);
const hostileBody = fc.array(hostileChunk, { maxLength: 40 }).map((chunks) => chunks.join(""));
const hugeBody = fc
  .tuple(hostileBody, fc.constantFrom(" ", "\n", "a", "<!--"))
  .map(([start, filler]) => `${start}${filler.repeat(100_000)}`);

describe("parser properties (hostile generators)", () => {
  it("never throw, and find the same things in a body and in its 64 KiB prefix", () => {
    fc.assert(
      fc.property(fc.oneof(hostileBody, hugeBody), (body) => {
        const prefix = bodyPrefix(body);
        expect(Buffer.byteLength(prefix, "utf8")).toBeLessThanOrEqual(MAX_BODY_BYTES);
        expect(parseNominationLinks(body)).toEqual(parseNominationLinks(prefix));
        expect(parseRemovalCitations(body)).toEqual(parseRemovalCitations(prefix));
        expect(disclosesConflict(body)).toBe(disclosesConflict(prefix));
      }),
      { numRuns: 150 },
    );
  });

  it("what they find is on a line of the body: nomination refs are issue numbers or malformed text, citations are https links", () => {
    fc.assert(
      fc.property(hostileBody, (body) => {
        for (const link of parseNominationLinks(body)) {
          if (link.kind === "issue") expect(link.number).toBeGreaterThan(0);
          expect(link.text).not.toMatch(/\s/);
        }
        for (const citation of parseRemovalCitations(body)) {
          expect(citation.link).toMatch(/^https:\/\/\S+$/);
          expect(body).toContain(citation.link);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a well-formed line is found wherever it sits in hostile text, within the prefix", () => {
    fc.assert(
      fc.property(hostileBody, hostileBody, fc.integer({ min: 1, max: 99999 }), (before, after, n) => {
        const body = `${before.slice(0, 20_000)}\nNomination: #${n}\n${after}`;
        expect(parseNominationLinks(body)).toContainEqual({ kind: "issue", number: n, text: `#${n}` });
      }),
      { numRuns: 200 },
    );
  });
});
