import { describe, expect, it } from "vitest";
import {
  addMonths,
  chairs,
  findMember,
  fullMembers,
  isFullMember,
  isOnboarding,
  lapsedAtReaffirmation,
  onboardingEnds,
  teamRole,
  triagers,
} from "../../src/charter/facts.js";
import type { Member } from "../../src/charter/schema.js";
import { exampleCharter } from "../helpers/charter.js";

const charter = exampleCharter();
const member = (login: string) => findMember(charter, login) as Member;

describe("derived facts", () => {
  it("onboarding ends joined + onboarding.months, at midnight UTC", () => {
    const newperson = member("newperson"); // joined 2026-10-20, 2 months
    expect(onboardingEnds(charter, newperson).toISOString()).toBe("2026-12-20T00:00:00.000Z");
    expect(isOnboarding(charter, newperson, new Date("2026-12-19T23:59:59Z"))).toBe(true);
    expect(isOnboarding(charter, newperson, new Date("2026-12-20T00:00:00Z"))).toBe(false);
    expect(isOnboarding(charter, newperson, new Date("2026-10-01T00:00:00Z"))).toBe(true); // before joining
  });

  it("clamps month arithmetic to the end of the month", () => {
    expect(addMonths(new Date("2026-12-31T00:00:00Z"), 2).toISOString().slice(0, 10)).toBe("2027-02-28");
    expect(addMonths(new Date("2027-12-31T00:00:00Z"), 2).toISOString().slice(0, 10)).toBe("2028-02-29");
  });

  it("applies onboarding to fellows too, unless onboarding: false", () => {
    const fellow: Member = { ...member("newperson"), roles: ["fellow"] };
    const now = new Date("2026-11-22T00:00:00Z");
    expect(isOnboarding(charter, fellow, now)).toBe(true);
    expect(isOnboarding(charter, { ...fellow, onboarding: false }, now)).toBe(false);
  });

  it("full members are the members not onboarding; logins compare case-insensitively", () => {
    const now = new Date("2026-11-22T00:00:00Z");
    expect(fullMembers(charter, now).map((m) => m.login)).not.toContain("newperson");
    expect(isFullMember(charter, "SHAIB", now)).toBe(true);
    expect(isFullMember(charter, "newperson", now)).toBe(false);
    expect(isFullMember(charter, "stranger", now)).toBe(false);
  });

  it("chairs are the chair and co-chairs and maintain the team", () => {
    expect(chairs(charter).map((m) => m.login)).toEqual(["sarahboyce", "jacobtylerwalls"]);
    expect(teamRole(member("sarahboyce"))).toBe("maintainer");
    expect(teamRole(member("jacobtylerwalls"))).toBe("maintainer");
    expect(teamRole(member("shaib"))).toBe("member");
    expect(triagers(charter).map((m) => m.login)).toEqual(["jacobtylerwalls", "shaib", "felixxm"]);
  });
});

describe("reaffirmation lapse", () => {
  // Example policy: December 1st, 30 days' grace. shaib reaffirmed 2026-01-10 (cycle 2025-12-01).
  const shaib = member("shaib");
  it("is not lapsed before the grace period of the current cycle ends", () => {
    expect(lapsedAtReaffirmation(charter, shaib, new Date("2026-12-30T23:00:00Z"))).toBe(false);
  });
  it("is lapsed after the grace period without a reaffirmation in this cycle", () => {
    expect(lapsedAtReaffirmation(charter, shaib, new Date("2026-12-31T00:00:00Z"))).toBe(true);
    expect(
      lapsedAtReaffirmation(
        charter,
        { ...shaib, reaffirmed: "2026-12-02" },
        new Date("2026-12-31T00:00:00Z"),
      ),
    ).toBe(false);
  });
  it("never applies to fellows or to members who joined during the cycle", () => {
    expect(lapsedAtReaffirmation(charter, member("sarahboyce"), new Date("2027-01-15T00:00:00Z"))).toBe(
      false,
    );
    expect(
      lapsedAtReaffirmation(charter, { ...shaib, joined: "2026-12-05" }, new Date("2027-01-15T00:00:00Z")),
    ).toBe(false);
  });
});
