import { describe, expect, it } from "vitest";
import { deliveriesToRedeliver, memoryDeliveryMemory } from "../../src/scale/redeliver.js";

const row = (id: number, guid: string, status_code: number) => ({
  id,
  guid,
  delivered_at: "2026-11-22T12:00:00Z",
  status_code,
});

describe("deliveriesToRedeliver", () => {
  it("asks for the latest attempt of each delivery that never got a 2xx answer", () => {
    const rows = [
      row(1, "down", 502),
      row(2, "ok", 200),
      row(3, "recovered", 0), // timed out
      row(4, "recovered", 202),
      row(5, "down", 504), // GitHub's own retry failed too
      row(6, "refused", 401),
    ];
    expect(deliveriesToRedeliver(rows).map((r) => [r.id, r.guid])).toEqual([
      [5, "down"],
      [6, "refused"],
    ]);
  });

  it("has nothing to ask when every delivery succeeded, or there are none", () => {
    expect(deliveriesToRedeliver([row(1, "a", 200), row(2, "b", 204)])).toEqual([]);
    expect(deliveriesToRedeliver([])).toEqual([]);
  });
});

describe("the in-memory record (one process, no Redis)", () => {
  it("claims a delivery once and only moves the mark forward", async () => {
    const memory = memoryDeliveryMemory();
    expect(await memory.mark()).toBeUndefined();
    expect([await memory.claim("a"), await memory.claim("a"), await memory.claim("b")]).toEqual([
      true,
      false,
      true,
    ]);
    await memory.setMark(10);
    await memory.setMark(7);
    expect(await memory.mark()).toBe(10);
  });
});
