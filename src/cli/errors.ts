import { ConfigError } from "../core/config.js";
import { UsageError } from "./types.js";

/**
 * What went wrong, on one line and without a stack: configuration errors say what to fix; GitHub's
 * answers are named by status and request (never with the request's headers or body).
 */
export function describeError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof UsageError) return error.message;
  const e = error as { status?: unknown; message?: unknown; request?: { method?: string; url?: string } };
  const message = String(e?.message ?? error).split("\n")[0] ?? "";
  if (typeof e?.status !== "number") return message;
  // Octokit reports a request that never reached GitHub (refused, DNS, bad port) as a 500 with the cause.
  if ((error as { cause?: unknown }).cause && e.request?.url) {
    return `cannot reach GitHub at ${new URL(e.request.url).host}: ${message}: check GHE_HOST/GHE_PROTOCOL (unset for github.com) and the network`;
  }
  if (e.status === 401) {
    return "GitHub refused the credentials (401): check that APP_ID and the private key belong to the same app, or that GITHUB_TOKEN is valid";
  }
  const request = e.request?.url ? ` to ${e.request.method ?? "GET"} ${new URL(e.request.url).pathname}` : "";
  return `GitHub answered ${e.status}${request}: ${message}`;
}
