import nock from "nock";
import { exampleResponse, validateRequest } from "./openapi.js";

/**
 * nock scopes for api.github.com whose every request is recorded and checked against GitHub's
 * OpenAPI description (REST) or GraphQL schema. Invalid requests fail the test in `setup.ts`.
 */

export const API = "https://api.github.com";
export const APP_ID = 123;
export const APP_SLUG = "security-team";
export const APP_LOGIN = `${APP_SLUG}[bot]`;

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

const calls: Call[] = [];
const invalid: string[] = [];
let graphqlValidate: ((query: string) => readonly { message: string }[]) | undefined;

async function checkGraphQL(body: unknown): Promise<string[]> {
  if (!graphqlValidate) {
    const mod = (await import("@octokit/graphql-schema")) as unknown as {
      validate: (q: string) => readonly { message: string }[];
    };
    graphqlValidate = mod.validate;
  }
  const query = (body as { query?: string })?.query ?? "";
  return graphqlValidate(query).map((e) => `POST /graphql: ${e.message}`);
}

function parseBody(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

const pendingChecks: Promise<void>[] = [];

function record(scope: nock.Scope): nock.Scope {
  scope.on("request", (req: { method: string; path: string }, _interceptor: unknown, rawBody: string) => {
    const body = parseBody(rawBody);
    const path = req.path;
    if (/\/app\/installations\/\d+\/access_tokens$/.test(path) || path === "/app") return;
    calls.push({ method: req.method, path, body });
    if (path.split("?")[0] === "/graphql") {
      pendingChecks.push(checkGraphQL(body).then((errors) => void invalid.push(...errors)));
    } else {
      invalid.push(...validateRequest(req.method, path, body));
    }
  });
  return scope;
}

/** A nock scope on api.github.com that records and validates every request it answers. */
export function github(): nock.Scope {
  return record(nock(API));
}

/** Installation tokens and `GET /app` (the app's identity), answered for the whole test. */
export function mockAppAuth(): void {
  const app = exampleResponse("apps/get-authenticated") as Record<string, unknown>;
  nock(API)
    .persist()
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .reply(201, { token: "ghs_test_installation_token", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
    .get("/app")
    .reply(200, { ...app, id: APP_ID, slug: APP_SLUG, name: "Security Team" });
}

/** Every request the app made to GitHub in this test (auth and identity excluded). */
export function recordedCalls(): Call[] {
  return [...calls];
}

/** Only the writes: what the app changed. */
export function recordedWrites(): Call[] {
  return calls.filter(
    (c) =>
      c.method !== "GET" &&
      !(c.path === "/graphql" && /^\s*(query|\{)/.test(String((c.body as { query?: string })?.query))),
  );
}

/** Called after each test: fails it when a request did not fit GitHub's API description. */
export async function takeInvalidRequests(): Promise<string[]> {
  await Promise.all(pendingChecks.splice(0));
  return invalid.splice(0);
}

export function resetRecording(): void {
  calls.splice(0);
  invalid.splice(0);
}
