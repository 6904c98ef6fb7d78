import { loadCharter } from "../src/charter/loader.js";
import { parseCommand } from "../src/commands/parse.js";
import { marker, markersIn } from "../src/core/markers.js";
import { quote } from "../src/core/people-text.js";
import {
  disclosesConflict,
  parseNominationLinks,
  parseRemovalCitations,
} from "../src/governance/pull-body.js";
import { draftText, namedDraft } from "../src/signoff/commands.js";
import { EXAMPLE_CHARTER_TEXT } from "../test/helpers/charter.js";
import { generatedCharter } from "./charter.js";
import type { Benchmark } from "./types.js";

/**
 * Every parser of people's text, on a normal 64 KiB input and on a hostile one of the same size
 * (the patterns that made old parsers backtrack: long whitespace runs, newlines, `<!--`, brackets).
 * Linear parsers take about as long on both; the target is hostile ≤ 2× normal.
 */

const SIZE = 64 * 1024;
const toSize = (text: string, size = SIZE) => text.slice(0, size);
const prose = (prefix = "") =>
  toSize(
    `${prefix}${"The patch fixes the escaping in QuerySet.extra(); tests cover both backends.\n".repeat(1000)}`,
  );

/** Median milliseconds per call: at least `calls` calls, then (unless `calls` is 1) until 300 ms have passed. */
function measure(run: () => unknown, calls = 3): number {
  const times: number[] = [];
  const started = performance.now();
  while (times.length < calls || (calls > 1 && performance.now() - started < 300 && times.length < 200)) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  // The median: other jobs on a shared machine add spikes that a mean would carry.
  const sorted = times.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Case {
  parser: string;
  hostile: string;
  run: (text: string) => unknown;
  normalInput: string;
  /** The hostile input at a given size (64 KiB in the table; twice that to show the growth). */
  hostileAt: (size: number) => string;
}

const now = new Date("2026-11-22T00:00:00Z");
function cases(): Case[] {
  const validCharter = toSize(generatedCharter(700));
  const cut = validCharter.lastIndexOf("\n  - login:");
  const normalCharter = validCharter.slice(0, cut);
  const invalidMembers = (count: number) =>
    EXAMPLE_CHARTER_TEXT.replace(
      "members:\n",
      `members:\n${Array.from({ length: count }, (_, i) => `  - login: u${i}\n    roles: [nope]\n`).join("")}`,
    );
  /** As many invalid members as fit in `size`. */
  const invalidOf = (size: number) => {
    let count = 100;
    while (invalidMembers(count + 100).length < size) count += 100;
    return invalidMembers(count);
  };
  const n = (invalidOf(SIZE).match(/roles: \[nope\]/g) ?? []).length;
  return [
    {
      parser: "command (`parseCommand`, first non-blank line)",
      hostile: "`/ack`, 32k spaces, 32k letters, a lone `\\r`",
      run: parseCommand,
      normalInput: prose("/draft ").replace(/\n/g, " "),
      hostileAt: (size) => `/ack${" ".repeat(size / 2 - 10)}${"x".repeat(size / 2 - 10)}\ry`,
    },
    {
      parser: "draft text (`draftText`)",
      hostile: "64 KiB of blank lines and `<!--` after `/draft`",
      run: draftText,
      normalInput: prose("/draft "),
      hostileAt: (size) => toSize(`/draft x${"\n \t<!--".repeat(size)}`, size),
    },
    {
      parser: "`/approve` quoting a draft (`namedDraft`)",
      hostile: "64 KiB of `>` lines and whitespace runs, quoting nothing pending",
      run: (text) => namedDraft(text, [7], new Map([[7, prose()]])),
      normalInput: prose("> ").replace(/\n/g, "\n> "),
      hostileAt: (size) => toSize(">    \t\n".repeat(size), size),
    },
    {
      parser: "marker reader (`markersIn`)",
      hostile: "64 KiB of unclosed `<!-- security-team:` openings",
      run: markersIn,
      normalInput: `${toSize(prose(), SIZE - 40)}\n${marker("ack")}`,
      hostileAt: (size) => toSize("<!-- security-team:a".repeat(size), size),
    },
    {
      parser: "people's text as a quote (`quote`, the mirror)",
      hostile: "64 KiB of `<!--`, `@` and newlines",
      run: quote,
      normalInput: prose(),
      hostileAt: (size) => toSize("<!--@a\n".repeat(size), size),
    },
    {
      parser: "charter loader, nesting",
      hostile: "flow collections nested 32k deep (refused by the scan)",
      run: (text) => loadCharter(text, { file: "charter.yml", now }),
      normalInput: normalCharter,
      hostileAt: (size) => toSize(`version: 1\nmembers: ${"[".repeat(size)}`, size),
    },
    {
      parser: "charter loader, errors",
      hostile: `${n.toLocaleString("en-US")} invalid members (${(n * 2).toLocaleString("en-US")} errors, 51 reported)`,
      run: (text) => loadCharter(text, { file: "charter.yml", now }),
      normalInput: normalCharter,
      hostileAt: invalidOf,
    },
    {
      parser: "charter loader, errors (normal = one error, same slow path)",
      hostile: `${n.toLocaleString("en-US")} invalid members`,
      run: (text) => loadCharter(text, { file: "charter.yml", now }),
      normalInput: normalCharter.replace("version: 1", "version: 2"),
      hostileAt: invalidOf,
    },
    {
      parser: "PR body: `Nomination:` links (`parseNominationLinks`, src/governance)",
      hostile: "65,535 newlines, then `Nomination: #1`",
      run: parseNominationLinks,
      normalInput: prose("Nomination: #12\n\n"),
      hostileAt: (size) => `${"\n".repeat(size - 20)}Nomination: #1`,
    },
    {
      parser: "PR body: removal citations (`parseRemovalCitations`, src/governance)",
      hostile: "65,535 newlines, no citation",
      run: parseRemovalCitations,
      normalInput: prose(),
      hostileAt: (size) => "\n".repeat(size),
    },
    {
      parser: "review body: `COI:` (`disclosesConflict`, src/governance)",
      hostile: "64 KiB of whitespace runs, no `COI:`",
      run: disclosesConflict,
      normalInput: prose(),
      hostileAt: (size) => toSize(" \n\t".repeat(size), size),
    },
  ];
}

const ms = (t: number) =>
  t >= 100 ? `${t.toFixed(0)} ms` : t >= 1 ? `${t.toFixed(1)} ms` : `${(t * 1000).toFixed(0)} µs`;

export const hostileBenchmark: Benchmark = {
  name: "hostile",
  async run() {
    const rows = cases().map((c) => {
      const hostileInput = c.hostileAt(SIZE);
      c.run(c.normalInput); // warm up: the first call pays for compiling
      const first = measure(() => c.run(hostileInput), 1);
      const normal = measure(() => c.run(c.normalInput));
      const hostile = first > 2000 ? first : measure(() => c.run(hostileInput)); // one slow call says enough
      const ratio = hostile / normal;
      // Linear (or capped) parsers take at most about twice as long on twice the input.
      const twice = c.hostileAt(2 * SIZE);
      const doubled = hostile > 1000 ? undefined : measure(() => c.run(twice)) / hostile;
      const size = (text: string) => `${(text.length / 1024).toFixed(0)} KiB`;
      return `| ${c.parser} | ${c.hostile} | ${size(c.normalInput)} / ${size(hostileInput)} | ${ms(normal)} | ${ms(hostile)} | ${ratio.toFixed(2)}× ${ratio <= 2 ? "✅" : "❌"} | ${doubled === undefined ? "not run (too slow)" : `${doubled.toFixed(2)}×`} |`;
    });
    return {
      title: "Hostile text",
      command: "npm run bench -- hostile",
      markdown: [
        "Each parser of people's text on a normal input and on a hostile one of the same size (64 KiB, GitHub's",
        "cap on a comment or PR body). Median time per call, at least 3 calls; a linear parser takes about as long on",
        "both. Target: hostile ≤ 2× normal. A charter over 1 MiB or nested deeper than 32 is refused before parsing.",
        "",
        "| parser | hostile input | size (normal / hostile) | normal | hostile | hostile / normal (target ≤ 2×) | hostile at 128 KiB / at 64 KiB (linear ≈ 2×) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
        "",
        "On a machine shared with other jobs, rows in microseconds vary by 2–3× from run to run: read the growth",
        "column for linearity. `quote` misses the 2× target without being superlinear: it replaces something every",
        "few characters of the hostile text and nothing in prose, a constant cost per replacement. A charter with",
        "thousands of errors goes through the positioned parser, which a valid charter skips; against a one-error",
        "charter on the same path it is within about 2×. The PR and review body parsers read only the first",
        "64 KiB (so the growth column stays near 1×) and jump from colon to colon, so blank lines cost a native scan.",
      ].join("\n"),
    };
  },
};
