import type { GitHub } from "./executor.js";

interface GraphQLError {
  message: string;
  type?: string;
}

/**
 * `octokit.graphql`, parsed with the platform's JSON.parse: Octokit's big-integer-safe parser
 * allocates several times the page's size, which dominated the sweep's memory and time at 10,000
 * reports; the app's queries hold no integers beyond 2^53.
 *
 * GitHub answers a missing repository, issue or file with `null` in `data` plus a `NOT_FOUND` error:
 * those come back as the nulls they are, for the caller to decide. Any other error throws.
 */
export async function graphql<T>(
  octokit: GitHub,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await octokit.request("POST /graphql", {
    query,
    variables,
    request: { parseSuccessResponseBody: false },
  });
  const result = (await new Response(response.data as unknown as ReadableStream).json()) as {
    data?: T | null;
    errors?: GraphQLError[];
  };
  const fatal = (result.errors ?? []).filter((e) => e.type !== "NOT_FOUND");
  if (fatal.length > 0 || !result.data) {
    const messages = fatal.length > 0 ? fatal : (result.errors ?? []);
    throw new Error(`GraphQL: ${messages.map((e) => e.message).join("; ") || "no data"}`);
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
