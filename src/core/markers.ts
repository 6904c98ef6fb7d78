/**
 * Hidden markers (`<!-- security-team:KEY -->`) make every comment and issue the app writes findable
 * and once-only. Anyone can type a marker, so readers must only trust markers in content the app
 * wrote itself (see `isOwn` in identity.ts), and people's text the app writes goes through
 * `inert` (people-text.ts) so that it never carries one.
 *
 * One fixed form: a marker is a whole line, exactly as `marker()` writes it. Anything else (a marker
 * inside a quote, after other text, split over lines) is not one.
 */
const KEY = /^[A-Za-z0-9:._/@-]+$/;
const PREFIX = "<!-- security-team:";
const SUFFIX = " -->";

export function marker(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid marker key: ${key}`);
  return `${PREFIX}${key}${SUFFIX}`;
}

/** The key of a marker line (a trailing `\r` allowed), or undefined for any other line. */
function keyOf(line: string): string | undefined {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (!text.startsWith(PREFIX) || !text.endsWith(SUFFIX)) return undefined;
  const key = text.slice(PREFIX.length, -SUFFIX.length);
  return KEY.test(key) ? key : undefined;
}

export function isMarkerLine(line: string): boolean {
  return keyOf(line) !== undefined;
}

export function markersIn(body: string | null | undefined): string[] {
  if (!body?.includes(PREFIX)) return [];
  return body.split("\n").flatMap((line) => keyOf(line) ?? []);
}

export function hasMarker(body: string | null | undefined, key: string): boolean {
  return markersIn(body).includes(key);
}

/** The value after `prefix` in the first marker that starts with it: `ghsa:` → `GHSA-xxxx-...`. */
export function markerValue(body: string | null | undefined, prefix: string): string | undefined {
  return markersIn(body)
    .find((k) => k.startsWith(prefix))
    ?.slice(prefix.length);
}
