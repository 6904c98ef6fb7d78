import { describe, expect, it } from "vitest";
import { normaliseAffiliation, sameAffiliation } from "../../src/charter/affiliation.js";

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
