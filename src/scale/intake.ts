import type { IncomingMessage, ServerResponse } from "node:http";
import { Webhooks } from "@octokit/webhooks";
import type { Probot } from "probot";
import type { WebhookJob } from "./queue.js";

/** Probot's default, and `WEBHOOK_PATH` as `probot run` reads it. */
const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
/** GitHub caps a webhook payload at 25 MB; anything larger is not from GitHub. */
const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;
const SIGNATURE_MISMATCH = "Error: [@octokit/webhooks] signature does not match event payload and secret";

export interface Intake {
  /** Whether any handler wants the event: if none does, there is nothing to enqueue. */
  wants(event: Pick<WebhookJob, "name" | "payload">): boolean;
  /** Stores the verified delivery as a job (the same delivery id is one job). */
  enqueue(event: WebhookJob): Promise<void>;
  /** Every answer to a verified delivery, for `/metrics`. */
  answered(event: Pick<WebhookJob, "name" | "payload">, status: number): void;
}

/**
 * With the queue, a verified delivery is enqueued and answered `202` at once, as soon as it is stored:
 * Probot's webhook middleware answers `200` only when the handlers return. Probot 14's `Server` runs
 * its webhook middleware before any route added with `addHandler` (`server.js`, `start()`), so an
 * added route never sees the webhook POST: this replaces the middleware the server asks Probot for
 * with one that takes the webhook POST first and hands every other request to Probot's own.
 *
 * Requests Probot rejects before reading the body (wrong method, content type, missing headers) go to
 * Probot's middleware unchanged. The signature is checked with `@octokit/webhooks` against the exact
 * bytes received (strict UTF-8, so the text verified is those bytes); a bad one is answered `400` with
 * Probot's body and nothing is enqueued. Without `WEBHOOK_SECRET` in the app's environment Probot keeps
 * the endpoint (it verifies with its own secret and answers `200` after enqueueing).
 */
export function answerWebhooksFromQueue(app: Probot, env: NodeJS.ProcessEnv, intake: Intake): void {
  const secret = env.WEBHOOK_SECRET;
  if (!secret) return;
  const webhooks = new Webhooks({ secret });
  const probotMiddleware = app.getNodeMiddleware.bind(app);
  app.getNodeMiddleware = async (options = {}) => {
    const fallback = await probotMiddleware(options);
    const path = trimSlashes(options.path ?? env.WEBHOOK_PATH ?? DEFAULT_WEBHOOK_PATH);
    return async (...request: Parameters<typeof fallback>) =>
      (await take(request[0], request[1], path)) || fallback(...request);
  };

  /** Answers a webhook POST (true), or leaves the request to Probot (false). */
  async function take(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== "POST" || pathname(req.url) !== path) return false;
    const name = header(req, "x-github-event");
    const id = header(req, "x-github-delivery");
    const signature = header(req, "x-hub-signature-256");
    if (!/^\s*application\/json\s*(?:;|$)/u.test(header(req, "content-type") ?? "")) return false;
    if (!name || !id || !signature) return false;

    const body = await readBody(req);
    if (body === "too large") return answer(res, 413, { error: "Error: payload too large" });
    const text = strictUtf8(body);
    if (text === undefined || !(await webhooks.verify(text, signature).catch(() => false))) {
      app.log.warn({ event: name, delivery: id }, "webhook signature does not match; rejected");
      return answer(res, 400, { error: SIGNATURE_MISMATCH });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return answer(res, 400, { error: "SyntaxError: Invalid JSON" });
    }
    const event = { name, payload };
    if (!intake.wants(event)) {
      intake.answered(event, 200);
      return answer(res, 200, "ok\n");
    }
    try {
      await intake.enqueue({ id, ...event });
    } catch (error) {
      // Not stored: GitHub records the failure, and the delivery check asks for it again.
      app.log.error(
        { event: name, delivery: id, error: String((error as Error)?.message ?? error) },
        "enqueue failed",
      );
      intake.answered(event, 503);
      return answer(res, 503, { error: "Error: could not queue the delivery" });
    }
    intake.answered(event, 202);
    return answer(res, 202, "accepted\n");
  }
}

function answer(res: ServerResponse, status: number, body: string | { error: string }): true {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const type = typeof body === "string" ? "text/plain" : "application/json";
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) }).end(text);
  return true;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pathname(url: string | undefined): string | undefined {
  try {
    return trimSlashes(new URL(url ?? "", "http://localhost").pathname);
  } catch {
    return undefined;
  }
}

function trimSlashes(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, "")}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer | "too large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return "too large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function strictUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
