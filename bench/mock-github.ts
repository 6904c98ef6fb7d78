import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { exampleResponse, matchRoute, validateRequest } from "../test/helpers/openapi.js";

/**
 * A zero-latency GitHub on 127.0.0.1 for the webhook benchmark. Every route answers with GitHub's
 * documented example response (OpenAPI) for its first 2xx status, unless `overrides` answers it;
 * answers are built once per route and then served from memory, so the mock costs little of the
 * time measured. While `validating` is on, every request is checked against GitHub's API description.
 */

export interface MockReply {
  status: number;
  body: unknown;
  /** Sent as is (e.g. a raw file); otherwise `body` is sent as JSON. */
  raw?: string;
}

/** Answers `METHOD /path` itself, or returns undefined to leave it to the OpenAPI examples. */
export type Override = (method: string, path: string) => MockReply | undefined;

export interface MockGitHub {
  url: string;
  /** Requests answered since the last `reset()`, as `METHOD /path`. */
  requests: string[];
  invalid: string[];
  validating: boolean;
  reset(): void;
  stop(): Promise<void>;
}

function exampleReply(method: string, path: string): MockReply {
  const route = matchRoute(method, path);
  if (!route) return { status: 404, body: { message: "Not Found" } };
  const status = Object.keys(route.operation.responses).find((s) => s.startsWith("2")) ?? "200";
  if (status === "204") return { status: 204, body: undefined };
  return { status: Number(status), body: exampleResponse(route.operation.operationId, status) };
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

export async function startMockGitHub(override: Override): Promise<MockGitHub> {
  const cache = new Map<string, { status: number; headers: Record<string, string>; payload: string }>();
  const mock: MockGitHub = {
    url: "",
    requests: [],
    invalid: [],
    validating: true,
    reset() {
      mock.requests = [];
      mock.invalid = [];
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const key = `${method} ${url.pathname}`;
    const body = await bodyOf(req);
    mock.requests.push(key);
    if (mock.validating) mock.invalid.push(...validateRequest(method, `${url.pathname}${url.search}`, body));
    let answer = cache.get(key);
    if (!answer) {
      const reply = override(method, url.pathname) ?? exampleReply(method, url.pathname);
      answer = {
        status: reply.status,
        headers: { "content-type": reply.raw === undefined ? "application/json" : "text/plain" },
        payload: reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body)),
      };
      cache.set(key, answer);
    }
    res.writeHead(answer.status, answer.headers).end(answer.payload);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return mock;
}
