import { describe, expect, it } from "vitest";
import { HOURLY, parseCron } from "../../src/sweep/cron.js";

const at = (iso: string) => new Date(iso);

describe("parseCron", () => {
  it("hourly (the default) matches minute 0 of every hour, UTC", () => {
    const hourly = parseCron(HOURLY);
    expect(hourly(at("2026-11-22T13:00:00Z"))).toBe(true);
    expect(hourly(at("2026-11-22T00:00:00Z"))).toBe(true);
    expect(hourly(at("2026-11-22T13:01:00Z"))).toBe(false);
    expect(hourly(at("2026-11-22T13:59:00Z"))).toBe(false);
  });

  it("steps, ranges and lists", () => {
    const cron = parseCron("*/15 9-17/4 * * *");
    expect(cron(at("2026-11-22T09:45:00Z"))).toBe(true);
    expect(cron(at("2026-11-22T13:30:00Z"))).toBe(true);
    expect(cron(at("2026-11-22T17:00:00Z"))).toBe(true);
    expect(cron(at("2026-11-22T10:00:00Z"))).toBe(false);
    expect(cron(at("2026-11-22T09:20:00Z"))).toBe(false);
    const list = parseCron("5,35 6 * * *");
    expect(list(at("2026-11-22T06:35:00Z"))).toBe(true);
    expect(list(at("2026-11-22T07:35:00Z"))).toBe(false);
  });

  it("months and weekdays (0 and 7 are Sunday); 2026-11-22 is a Sunday", () => {
    expect(parseCron("0 8 * * 0")(at("2026-11-22T08:00:00Z"))).toBe(true);
    expect(parseCron("0 8 * * 7")(at("2026-11-22T08:00:00Z"))).toBe(true);
    expect(parseCron("0 8 * * 1-5")(at("2026-11-22T08:00:00Z"))).toBe(false);
    expect(parseCron("0 8 * * 1-5")(at("2026-11-23T08:00:00Z"))).toBe(true);
    expect(parseCron("0 0 1 12 *")(at("2026-12-01T00:00:00Z"))).toBe(true);
    expect(parseCron("0 0 1 12 *")(at("2026-11-01T00:00:00Z"))).toBe(false);
  });

  it("a day matches when either restricted day field does (classic cron)", () => {
    const cron = parseCron("0 0 1 * 1"); // the 1st, and every Monday
    expect(cron(at("2026-12-01T00:00:00Z"))).toBe(true); // a Tuesday, the 1st
    expect(cron(at("2026-11-23T00:00:00Z"))).toBe(true); // a Monday
    expect(cron(at("2026-11-24T00:00:00Z"))).toBe(false);
  });

  it.each([
    ["0 * * *", /expected 5 fields .* got 4/],
    ["60 * * * *", /minute "60" is out of range \(allowed 0-59\)/],
    ["0 24 * * *", /hour "24" is out of range/],
    ["0 0 0 * *", /day of month "0" is out of range/],
    ["0 0 * 13 *", /month "13"/],
    ["0 0 * * 8", /day of week "8"/],
    ["*/0 * * * *", /step below 1/],
    ["5-1 * * * *", /out of range/],
    ["@hourly * * * *", /is not a number, range, step or \*/],
    ["off", /expected 5 fields/],
  ])("rejects %s with the reason", (expression, reason) => {
    expect(() => parseCron(expression)).toThrow(reason);
  });
});
