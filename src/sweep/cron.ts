/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, in UTC), as a predicate
 * on minutes. Fields take `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, and lists `a,b`;
 * day-of-week 0 and 7 are Sunday. As in classic cron, when both day fields are restricted a day
 * matches if either does.
 */
export type CronMatcher = (at: Date) => boolean;

export const HOURLY = "0 * * * *";

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const bad = (why: string) =>
    new Error(`cron "${expression}": ${field.name} "${text}" ${why} (allowed ${field.min}-${field.max})`);
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw bad("is not a number, range, step or *");
    const [, , from, to, step] = match;
    const low = from === undefined ? field.min : Number(from);
    const high = from === undefined ? field.max : to === undefined ? (step ? field.max : low) : Number(to);
    const every = step === undefined ? 1 : Number(step);
    if (low < field.min || high > field.max || low > high) throw bad("is out of range");
    if (every < 1) throw bad("has a step below 1");
    for (let v = low; v <= high; v += every) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronMatcher {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new Error(
      `cron "${expression}": expected 5 fields (minute hour day month weekday), got ${parts.length}`,
    );
  }
  const [minute, hour, dom, month, dow] = parts.map((p, i) =>
    parseField(p, FIELDS[i] as never, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (dow.has(7)) dow.add(0);
  const domRestricted = parts[2] !== "*";
  const dowRestricted = parts[4] !== "*";
  return (at) => {
    const domOk = dom.has(at.getUTCDate());
    const dowOk = dow.has(at.getUTCDay());
    const dayOk = domRestricted && dowRestricted ? domOk || dowOk : domOk && dowOk;
    return (
      minute.has(at.getUTCMinutes()) && hour.has(at.getUTCHours()) && month.has(at.getUTCMonth() + 1) && dayOk
    );
  };
}
