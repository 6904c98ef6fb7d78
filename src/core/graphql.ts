import type { GitHub } from "./executor.js";

/** What `new Response()` reads: a string, or the stream of an unparsed body. */
export type ResponseBody = ConstructorParameters<typeof Response>[0];

interface GraphQLError {
  message: string;
  type?: string;
}

/**
 * The hook every parsed GraphQL answer passes through, as every REST answer passes through
 * `request`: `octokit.hook.after(GRAPHQL_HOOK, (answer) => ...)` sees `{ data, errors }` before the
 * reader does (the write guard learns from it: see `watchResponses` in disclosure.ts).
 */
export const GRAPHQL_HOOK = "graphql";

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

/**
 * `octokit.graphql`, parsed with the platform's JSON.parse: Octokit's big-integer-safe parser
 * allocates several times the page's size, which dominated the sweep's memory and time at 10,000
 * reports; the app's queries hold no integers beyond 2^53. (The runtime's rate-limit hook reads the
 * unparsed body to find GraphQL's rate-limit answers; see `ratelimit.ts`.)
 *
 * Any error throws, unless `nullWhenNotFound`: GitHub answers a missing repository, issue or file
 * with `null` in `data` plus a `NOT_FOUND` error, and such a caller takes the nulls as they are.
 */
export async function graphql<T>(
  octokit: GitHub,
  query: string,
  variables: Record<string, unknown>,
  options: { nullWhenNotFound?: boolean } = {},
): Promise<T> {
  const result = (await octokit.hook(
    GRAPHQL_HOOK,
    async () => {
      const response = await octokit.request("POST /graphql", {
        query,
        variables,
        request: { parseSuccessResponseBody: false },
      });
      // The runtime's rate-limit hook has already read the body as text: parse that, rather than
      // encode and decode a page of hundreds of KB once more.
      const body = response.data as unknown;
      return JSON.parse(typeof body === "string" ? body : await new Response(body as ResponseBody).text());
    },
    { query, variables },
  )) as GraphQLAnswer<T>;
  const errors = result.errors ?? [];
  const fatal = options.nullWhenNotFound ? errors.filter((e) => e.type !== "NOT_FOUND") : errors;
  if (fatal.length > 0 || !result.data) {
    throw new Error(
      `GraphQL: ${(fatal.length > 0 ? fatal : errors).map((e) => e.message).join("; ") || "no data"}`,
    );
  }
  return result.data;
}

export interface GraphQLActor {
  __typename: string;
  login: string;
}

/** GraphQL names an app `slug` (a Bot); REST and `self()` say `slug[bot]`. */
export function restLogin(author: GraphQLActor | null): string {
  if (!author) return "ghost";
  return author.__typename === "Bot" ? `${author.login}[bot]` : author.login;
}
