/**
 * One comparison of affiliations for the whole app (conflict of interest in the `charter` check,
 * need-to-know confirmations): "Zapier", "Zapier Inc." and "ZAPIER " with a non-breaking space are
 * one organisation. Unicode NFKC, invisible format characters dropped, case folded, punctuation
 * dropped ("S.A." is "SA", "Zap.ier" is "Zapier"), trailing legal suffixes dropped, and the words
 * joined without spaces ("Foo-Bar" and "Foo Bar" match). Erring towards "the same" is the safe side:
 * it flags a conflict of interest, or refuses a need-to-know confirmation, rather than missing one.
 */
const LEGAL_SUFFIXES = new Set(["inc", "ltd", "llc", "gmbh", "sa", "bv", "ag", "corp", "co"]);

/** The comparable form of an affiliation; empty when nothing remains (no affiliation). */
export function normaliseAffiliation(affiliation: string | undefined): string {
  if (!affiliation) return "";
  const words = affiliation
    .normalize("NFKC")
    .replace(/\p{Cf}+/gu, "")
    .toUpperCase() // upper then lower folds more than lower alone: "Weiß" and "WEISS" meet
    .toLowerCase()
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
