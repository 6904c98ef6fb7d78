import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import type { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { answerWebhooksFromQueue, type Intake } from "../../src/scale/intake.js";
import type { WebhookJob } from "../../src/scale/queue.js";

/**
 * The queue's webhook intake on its own, in front of a stand-in for Probot's middleware (which answers
 * 299 for whatever reaches it): what it takes, what it leaves to Probot, and its bad paths.
 */

const SECRET = "intake-secret";
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function start(env: NodeJS.ProcessEnv, enqueue: Intake["enqueue"] = async () => {}) {
  const stored: WebhookJob[] = [];
  const answers: number[] = [];
  const app = {
    log: pino({ level: "silent" }),
    getNodeMiddleware: async () => async (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(299).end("probot");
      return true;
    },
  };
  answerWebhooksFromQueue(app as unknown as Probot, env, {
    wants: (event) => event.name !== "star",
    enqueue: async (job) => {
      await enqueue(job);
      stored.push(job);
    },
    answered: (_event, status) => answers.push(status),
  });
  const middleware = await app.getNodeMiddleware();
  server = createServer((req, res) => void middleware(req, res));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stored, answers };
}

const sign = (body: Buffer | string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

async function post(url: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": sign(body),
      ...headers,
    },
    body,
  });
  return [response.status, await response.text()];
}

describe("the webhook intake with a queue", () => {
  it("stores a signed delivery and answers 202; an event no handler wants gets 200 and no job", async () => {
    const { url, stored, answers } = await start({ WEBHOOK_SECRET: SECRET });
    const body = '{"action":"opened"}';
    expect(await post(url, body, { "x-github-delivery": "guid-1" })).toEqual([202, "accepted\n"]);
    expect(await post(url, body, { "x-github-event": "star" })).toEqual([200, "ok\n"]);
    expect(stored).toEqual([{ id: "guid-1", name: "issues", payload: { action: "opened" } }]);
    expect(answers).toEqual([202, 200]);
  });

  it("a signed body that is not JSON, or not UTF-8, is refused and stores nothing", async () => {
    const { url, stored } = await start({ WEBHOOK_SECRET: SECRET });
    expect(await post(url, "{not json")).toEqual([400, '{"error":"SyntaxError: Invalid JSON"}']);
    // Bytes that are not UTF-8 would be verified as different text: refused like a bad signature.
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const [status] = await post(url, bytes);
    expect(status).toBe(400);
    expect(stored).toEqual([]);
  });

  it("a delivery Redis could not store is answered 503, so that GitHub lists it as failed", async () => {
    const { url, stored, answers } = await start({ WEBHOOK_SECRET: SECRET }, async () => {
      throw new Error("Connection is closed.");
    });
    expect(await post(url, "{}")).toEqual([503, '{"error":"Error: could not queue the delivery"}']);
    expect([stored, answers]).toEqual([[], [503]]);
  });

  it("leaves other requests, and what Probot refuses before reading the body, to Probot", async () => {
    const { url, stored } = await start({ WEBHOOK_SECRET: SECRET });
    const probot = [299, "probot"];
    expect(await post(url, "{}", { "content-type": "text/plain" })).toEqual(probot);
    expect(await post(url, "{}", { "x-hub-signature-256": "" })).toEqual(probot);
    const get = await fetch(`${url}/api/github/webhooks`);
    expect([get.status, await get.text()]).toEqual(probot);
    const other = await fetch(`${url}/elsewhere`, { method: "POST", body: "{}" });
    expect([other.status, await other.text()]).toEqual(probot);
    expect(stored).toEqual([]);
  });

  it("follows WEBHOOK_PATH, and without WEBHOOK_SECRET leaves the endpoint to Probot", async () => {
    const moved = await start({ WEBHOOK_SECRET: SECRET, WEBHOOK_PATH: "/hooks/" });
    const response = await fetch(`${moved.url}/hooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": "guid-2",
        "x-hub-signature-256": sign("{}"),
      },
      body: "{}",
    });
    expect(response.status).toBe(202);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const { url, stored } = await start({});
    expect(await post(url, "{}")).toEqual([299, "probot"]);
    expect(stored).toEqual([]);
  });
});
