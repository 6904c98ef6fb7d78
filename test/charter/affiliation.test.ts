import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseAffiliation, sameAffiliation } from "../../src/charter/affiliation.js";
import { LOOKALIKES } from "../../src/charter/lookalikes.js";

describe("affiliations", () => {
  it.each([
    ["Zapier", "Zapier Inc."],
    ["Zapier", "Zapier\u00a0"],
    ["Zapier", " ZAPIER "],
    ["Django Software Foundation", "Django Software Foundation, Inc."],
    ["Acme GmbH", "ACME"],
    ["Ｚａｐｉｅｒ", "zapier"],
    ["Foo Bar LLC", "foo   bar, llc"],
    ["Widgets Co.", "Widgets Corp"],
    ["Acme", "Acme S.A."],
    ["Acme", "Acme L.L.C."],
    ["Acme", "ACME G.m.b.H."],
    ["Zapier", "Zap.ier"],
    ["Zapier", "Zap\u00adier"],
    ["Zapier", "Zap\u200bier"],
    ["Zapier", "Zap\u2060ier"],
    ["Weiß GmbH", "WEISS GmbH"],
    ["Foo-Bar", "Foo Bar"],
  ])("%j and %j are one organisation", (a, b) => {
    expect(sameAffiliation(a, b)).toBe(true);
  });

  it.each([
    ["Zapier", "Zapier Labs"],
    ["Django Software Foundation", "Python Software Foundation"],
    ["Co", "Corp"],
  ])("%j and %j are different organisations", (a, b) => {
    expect(sameAffiliation(a, b)).toBe(false);
  });

  it("an unknown affiliation matches nothing, not even another unknown", () => {
    expect(sameAffiliation(undefined, undefined)).toBe(false);
    expect(sameAffiliation("", "")).toBe(false);
    expect(sameAffiliation("...", "!!!")).toBe(false);
    expect(normaliseAffiliation("  ")).toBe("");
  });
});

describe("affiliations spelt with lookalike letters", () => {
  it.each([
    ["Acme", "Асме", "Cyrillic А, с, е (and м, whose capital М looks like M)"],
    ["Acme", "АСМЕ", "Cyrillic capitals"],
    ["Acme", "Αcme", "Greek capital Alpha"],
    ["Acme", "Aсme", "one Cyrillic с"],
    ["Zapier", "ΖΑΡΙΕR", "Greek Ζ Α Ρ Ι Ε"],
    ["Zapier", "zаріеr", "Cyrillic а р і е"],
    ["Django Software Foundation", "Djаngо Sоftwаrе Fоundаtiоn", "Cyrillic а о е"],
    ["Hexa Ltd", "НЕХА Ltd", "Cyrillic Н Е Х А"],
    ["Tokyo", "ТОКУО", "Cyrillic Т О К У"],
    ["Bravo", "ВRАVО", "Cyrillic В А О"],
    ["Ninety", "ΝΙΝΕΤΥ", "Greek Ν Ι Ε Τ Υ"],
    ["Kappa", "κаρρа", "Greek κ ρ, Cyrillic а"],
    ["Devo", "Deνo", "Greek ν for v"],
    ["Pixie", "ріхіе", "Cyrillic р і х е"],
    ["Jsdq", "јѕԁԛ", "Cyrillic ј ѕ ԁ ԛ"],
    ["wh", "ԝһ", "Cyrillic ԝ һ"],
    ["Ilo", "ӏӏо", "Cyrillic palochka"],
    ["Hertz", "ΗΕRΤΖ", "Greek capitals Η Ε Τ Ζ"],
    ["Acme", "ꓮꓚꓟꓰ", "Lisu"],
    ["Dell", "DeII", "capital I for l, as UTS #39 reads them"],
    ["Dell", "De11", "digit one for l"],
    ["Foo0", "FooO", "digit zero for O"],
    ["Acme", "Acrne", "rn for m"],
    ["Acme", "𝐀𝐜𝐦𝐞", "mathematical bold (NFKC)"],
    ["Acme", "𝔄𝔠𝔪𝔢", "mathematical fraktur (NFKC)"],
    ["Acme", "Ａｃｍｅ", "fullwidth (NFKC)"],
    ["Acme", "A\u0301cme\u0308", "combining marks"],
    ["Acme", "Acme\u3164", "a Hangul filler (an invisible letter)"],
    ["Acme", "A\u115Fc\u1160me\uFFA0", "Hangul choseong, jungseong and halfwidth fillers"],
    ["Müller AG", "Muller", "accents"],
    ["Weiß GmbH", "WEIẞ GMBH", "capital sharp s"],
    ["Zapier Inc.", "Zapier Іnc.", "a legal suffix with a Cyrillic І"],
    ["Acme GmbH", "Acme", "a legal suffix that reads with rn"],
  ])("%j and %j are one organisation (%s)", (a, b) => {
    expect(sameAffiliation(a, b)).toBe(true);
  });

  it.each([
    ["Acme", "Acne"],
    ["Zapier", "Zapper"],
    ["Platonix", "Zapier"],
    ["Django Software Foundation", "Djangо Software Foundry"],
    ["Hexa", "Hexagon"],
  ])("positive control: %j and %j are still different organisations", (a, b) => {
    expect(sameAffiliation(a, b)).toBe(false);
  });

  it("every listed lookalike reads as the letter it is listed under, in either case", () => {
    for (const [latin, letters] of Object.entries(LOOKALIKES)) {
      for (const letter of letters) {
        expect(normaliseAffiliation(`x${letter}`), `${letter} as ${latin}`).toBe(
          normaliseAffiliation(`x${latin}`),
        );
        expect(normaliseAffiliation(`x${letter.toLowerCase()}`), `${letter} as ${latin}`).toBe(
          normaliseAffiliation(`x${latin}`),
        );
      }
    }
  });

  it("reads a 64 KiB affiliation of lookalikes and marks in one pass, by result", () => {
    const latin = "Acme Zapier ".repeat(5_462);
    const lookalike = "Асме ΖΑΡΙΕR ".repeat(5_462);
    expect(lookalike.length).toBeGreaterThanOrEqual(65_536);
    expect(sameAffiliation(latin, lookalike)).toBe(true);
    expect(normaliseAffiliation(`A${"\u0301".repeat(65_536)}cme`)).toBe(normaliseAffiliation("Acme"));
    expect(sameAffiliation(latin, `${lookalike}x`)).toBe(false);
  });
});

describe("affiliation properties", () => {
  /** Latin words and, for each letter, the lookalikes listed for it. */
  const lookalikesOf = new Map<string, string[]>();
  for (const [latin, letters] of Object.entries(LOOKALIKES)) {
    if (latin.length === 1) lookalikesOf.set(latin, [...letters]);
  }
  const latinText = fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-,"),
    maxLength: 40,
  });

  it("the comparable form is its own comparable form (idempotent)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), latinText), (text) => {
        const once = normaliseAffiliation(text);
        expect(normaliseAffiliation(once)).toBe(once);
      }),
      { numRuns: 2_000 },
    );
  });

  it("replacing any Latin letter by a listed lookalike never changes the comparison", () => {
    fc.assert(
      fc.property(latinText, latinText, fc.array(fc.nat(), { maxLength: 40 }), (text, other, picks) => {
        let i = 0;
        const disguised = [...text]
          .map((character) => {
            const choices = lookalikesOf.get(character.toLowerCase());
            const pick = picks[i++];
            return choices && pick !== undefined ? (choices[pick % choices.length] as string) : character;
          })
          .join("");
        expect(normaliseAffiliation(disguised)).toBe(normaliseAffiliation(text));
        expect(sameAffiliation(disguised, other)).toBe(sameAffiliation(text, other));
      }),
      { numRuns: 2_000 },
    );
  });
});
