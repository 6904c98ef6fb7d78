/**
 * "Now" for the app and the CLI. `SECURITY_TEAM_NOW` (ISO 8601) pins it, so behaviour over time can be
 * tested and demonstrated; otherwise the real clock. Read on every use so a running demo can move time.
 */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env.SECURITY_TEAM_NOW;
  if (!pinned) return new Date();
  const date = new Date(pinned);
  if (Number.isNaN(date.getTime())) throw new Error(`SECURITY_TEAM_NOW is not an ISO 8601 time: "${pinned}"`);
  return date;
}
