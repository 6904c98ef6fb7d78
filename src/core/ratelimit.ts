import type { Logger } from "pino";
import type { GitHub } from "./executor.js";
import type { ResponseBody } from "./graphql.js";

export interface RateLimitOptions {
  log: Pick<Logger, "warn">;
  /** Waits between retries; tests replace it so they never sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** How many times one request is retried after a rate-limit answer. */
  retries?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries every request (read or write) that GitHub refused for a rate limit, and every GraphQL
 * query it answered with `RATE_LIMITED`, after the wait GitHub asks for. Probot's throttling plugin
 * gives up on secondary limits; a refused request was not performed, so repeating it cannot
 * duplicate anything. Installed once per client, in the runtime.
 */
export function retryRateLimits(octokit: GitHub, options: RateLimitOptions): GitHub {
  const sleep = options.sleep ?? realSleep;
  const retries = options.retries ?? 3;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      let wait: number | undefined;
      let failure: unknown;
      try {
        const response = await request(requestOptions);
        if (!isUnparsedGraphQL(requestOptions)) return response;
        // GraphQL reports a rate limit inside a 200 answer, which Probot's throttling cannot see
        // in a body left unparsed: read it here, and hand it on as text.
        const text = await new Response(response.data as ResponseBody).text();
        wait = graphQLRateLimitWait(text, response.headers);
        if (wait === undefined) return { ...response, data: text };
        failure = new Error("GitHub GraphQL rate limit exceeded");
      } catch (error) {
        wait = rateLimitWait(error);
        failure = error;
      }
      if (wait === undefined || attempt >= retries) throw failure;
      options.log.warn(
        { waitMs: wait, attempt: attempt + 1, route: `${requestOptions.method} ${requestOptions.url}` },
        "GitHub rate limit; waiting before retrying",
      );
      await sleep(wait);
    }
  });
  return octokit;
}

function isUnparsedGraphQL(options: { url: string; request?: { parseSuccessResponseBody?: boolean } }) {
  return options.url === "/graphql" && options.request?.parseSuccessResponseBody === false;
}

/** How long to wait when a GraphQL answer says `RATE_LIMITED`, or undefined when it does not. */
export function graphQLRateLimitWait(
  text: string,
  headers: Record<string, string | number | undefined>,
  now = Date.now(),
): number | undefined {
  if (!text.includes("RATE_LIMITED")) return undefined; // cheap test first: pages are large
  let errors: { type?: string }[] | undefined;
  try {
    errors = (JSON.parse(text) as { errors?: { type?: string }[] }).errors;
  } catch {
    return undefined;
  }
  if (!errors?.some((e) => e.type === "RATE_LIMITED")) return undefined;
  const reset = Number(headers["x-ratelimit-reset"]);
  return Number.isFinite(reset) && reset > 0 ? Math.max(reset * 1000 - now, 1000) : 60_000;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * How long to wait before retrying a request GitHub refused for rate limits, or undefined when the
 * error is not a rate limit (a 403 for missing permissions must not be retried).
 */
export function rateLimitWait(error: unknown, now = Date.now()): number | undefined {
  const status = statusOf(error);
  if (status !== 403 && status !== 429) return undefined;
  const headers =
    (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
  const message = error instanceof Error ? error.message : String(error);
  const secondary = /secondary rate limit|abuse/i.test(message);
  const primary = headers["x-ratelimit-remaining"] === "0";
  if (status === 403 && !secondary && !primary) return undefined;
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (primary && Number.isFinite(reset)) return Math.max(reset * 1000 - now, 1000);
  return 60_000; // GitHub: without retry-after, wait at least a minute
}
