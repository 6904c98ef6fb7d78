/**
 * Hidden markers (`<!-- security-team:KEY -->`) make every comment and issue the app writes findable
 * and once-only. Anyone can type a marker, so readers must only trust markers in content the app
 * wrote itself (see `isOwn` in identity.ts).
 */
const MARKER = /<!-- security-team:([A-Za-z0-9:._/@-]+) -->/g;

export function marker(key: string): string {
  if (!/^[A-Za-z0-9:._/@-]+$/.test(key)) throw new Error(`invalid marker key: ${key}`);
  return `<!-- security-team:${key} -->`;
}

export function markersIn(body: string | null | undefined): string[] {
  return [...(body ?? "").matchAll(MARKER)].map((m) => m[1] as string);
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
