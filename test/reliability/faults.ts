/**
 * A fault-injecting layer under Octokit (its `fetch`): on a seeded fraction of requests GitHub answers
 * 500 or 502 (the request performed or not, the client cannot tell), 429 with `retry-after`, a
 * secondary rate limit (403 with GitHub's documented message), or the connection times out after the
 * request reached GitHub (undici's "fetch failed" with a headers timeout: performed, answer lost).
 * Authentication (installation tokens, `GET /app`) is never faulted.
 */

export type FaultKind = "500" | "502" | "429" | "secondary" | "timeout";
export const FAULT_KINDS: FaultKind[] = ["500", "502", "429", "secondary", "timeout"];

/** One request as the app sent it, and what the layer did to it. */
export interface Attempt {
  method: string;
  path: string;
  body: string;
  fault?: FaultKind;
  /** Whether GitHub performed it (always, unless faulted before it got there). */
  performed: boolean;
}

export interface FaultLayer {
  fetch: typeof fetch;
  attempts: Attempt[];
  /** Faults are injected only while on; attempts are recorded only while on. */
  on: boolean;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export function faultLayer(options: { seed: number; rate: number; kinds?: FaultKind[] }): FaultLayer {
  const random = seeded(options.seed);
  const kinds = options.kinds ?? FAULT_KINDS;
  const layer: FaultLayer = {
    on: true,
    attempts: [],
    async fetch(input, init) {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? "GET").toUpperCase();
      const auth = /^\/app(\/installations\/\d+\/access_tokens)?$/.test(url.pathname);
      if (!layer.on || auth) return fetch(input, init);
      const attempt: Attempt = {
        method,
        path: `${url.pathname}${url.search}`,
        body: typeof init?.body === "string" ? init.body : "",
        performed: true,
      };
      layer.attempts.push(attempt);
      if (random() >= options.rate) return fetch(input, init);
      const fault = kinds[Math.floor(random() * kinds.length)] as FaultKind;
      attempt.fault = fault;
      switch (fault) {
        case "429":
          attempt.performed = false;
          return json(429, { message: "API rate limit exceeded" }, { "retry-after": "1" });
        case "secondary":
          attempt.performed = false;
          return json(
            403,
            {
              message:
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
              documentation_url:
                "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            },
            { "retry-after": "1" },
          );
        case "500":
        case "502": {
          attempt.performed = random() < 0.5;
          if (attempt.performed) await (await fetch(input, init)).arrayBuffer();
          return json(Number(fault), { message: fault === "500" ? "Server Error" : "Bad Gateway" });
        }
        case "timeout": {
          await (await fetch(input, init)).arrayBuffer();
          const cause = Object.assign(new Error("Headers Timeout Error"), {
            name: "HeadersTimeoutError",
            code: "UND_ERR_HEADERS_TIMEOUT",
          });
          throw new TypeError("fetch failed", { cause });
        }
      }
    },
  };
  return layer;
}
