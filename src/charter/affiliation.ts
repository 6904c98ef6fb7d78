import { LOOKALIKES } from "./lookalikes.js";

/**
 * One comparison of affiliations for the whole app (conflict of interest in the `charter` check,
 * need-to-know confirmations): "Zapier", "Zapier Inc.", "ZAPIER " with a non-breaking space and
 * "Zаpier" with a Cyrillic "а" are one organisation. Each is reduced to a skeleton, in the spirit of
 * Unicode's UTS #39: NFKD (fullwidth and mathematical letters become plain ones), case folded, marks
 * on letters and every invisible character dropped ("Müller" is "Muller"), every letter that looks
 * like a Latin letter or digit read as that letter (`lookalikes.ts`), then letters that look alike
 * read as one, punctuation dropped ("S.A." is "SA"), trailing legal suffixes dropped, and the words
 * joined without spaces ("Foo-Bar" and "Foo Bar" match). Erring towards "the same" is the safe side:
 * it flags a conflict of interest, or refuses a need-to-know confirmation, rather than missing one.
 */

/**
 * Latin letters and digits read as one, as UTS #39 reads them ("I", "1" and "l"; "0" and "O"; "m"
 * and "rn"), closed under case: "I" folds to "i", so "i" is "l" too ("Dell" is "DeII"). Greek "ν" looks
 * like "v" and its capital "Ν" like "N", so "v" is "n"; likewise "υ"/"Υ" make "y" "u".
 */
const LATIN_ALIKE: Readonly<Record<string, string>> = { i: "l", "1": "l", "0": "o", m: "rn", v: "n", y: "u" };

function foldCase(text: string): string {
  return (
    text
      .normalize("NFKD")
      // Lower, upper, lower folds more than lower alone: "Weiß", "WEISS" and "WEIẞ" meet.
      .toLowerCase()
      .toUpperCase()
      .toLowerCase()
      .replaceAll("ς", "σ") // lowercasing writes "Σ" ending a word as "ς": the same letter
      // Marks, and whatever Unicode says renders as nothing: format characters, and the Hangul
      // fillers, which are letters ("Zapier\u3164" would otherwise be another organisation).
      .replace(/[\p{Mn}\p{Me}\p{Cf}\p{Default_Ignorable_Code_Point}]+/gu, "")
  );
}

function latinSkeleton(latin: string): string {
  return [...latin].map((letter) => LATIN_ALIKE[letter] ?? letter).join("");
}

/** Each case-folded character that reads as something else, and what it reads as. */
const READ_AS = new Map<string, string>(Object.entries(LATIN_ALIKE));
for (const [latin, letters] of Object.entries(LOOKALIKES)) {
  for (const letter of letters) READ_AS.set(foldCase(letter), latinSkeleton(latin));
}

/** Case folded, marks dropped, every lookalike read as its Latin letter; spaces and punctuation kept. */
function affiliationSkeleton(text: string): string {
  return foldCase(text).replace(/[^\s\p{P}\p{S}]/gu, (character) => READ_AS.get(character) ?? character);
}

const LEGAL_SUFFIXES = new Set(
  ["inc", "ltd", "llc", "gmbh", "sa", "bv", "ag", "corp", "co"].map(affiliationSkeleton),
);

/** The comparable form of an affiliation; empty when nothing remains (no affiliation). */
export function normaliseAffiliation(affiliation: string | undefined): string {
  if (!affiliation) return "";
  const words = affiliationSkeleton(affiliation)
    .replace(/[\p{P}\p{S}]+/gu, "")
    .split(/\s+/u)
    .filter((word) => word.length > 0);
  // Drop suffixes from the end only ("Co" inside a name stays), keeping at least one word.
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] as string)) words.pop();
  return words.join("");
}

/** Both known and the same organisation once normalised. */
export function sameAffiliation(a: string | undefined, b: string | undefined): boolean {
  const left = normaliseAffiliation(a);
  return left !== "" && left === normaliseAffiliation(b);
}
