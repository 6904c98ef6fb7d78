import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/server.js";
import { createApp } from "../../src/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { APP_ID, recordedCalls } from "../helpers/github.js";
import { payload, user } from "../helpers/payloads.js";

/**
 * Webhook authenticity through the real HTTP server (not `probot.receive`): a request without a
 * signature, with a wrong one, or with a body changed after signing never reaches a handler.
 */
const SECRET = "webhook-secret-for-tests";
let server: Server;
let base: string;
const handled: string[] = [];

beforeAll(async () => {
  server = new Server({
    Probot: Probot.defaults({
      appId: APP_ID,
      privateKey: TEST_PRIVATE_KEY,
      secret: SECRET,
      log: pino({ level: "silent" }),
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
        ...o,
        throttle: { enabled: false },
      })),
    }),
    host: "127.0.0.1",
    port: await freePort(),
    log: pino({ level: "silent" }),
  });
  await server.load(async (app, options) => {
    // A spy beside the real app: it records any event that got past verification.
    app.onAny(async (context) => void handled.push(context.name));
    await createApp({ env: { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z" } })(app, options);
  });
  const http = await server.start();
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server.stop();
});

const body = JSON.stringify(
  payload("issue_comment", "created", {
    comment: { body: "/claim", user: user("shaib") },
    sender: user("shaib"),
  }),
);
const sign = (text: string, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(text).digest("hex")}`;

async function deliver(text: string, signature?: string) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": "issue_comment",
    "x-github-delivery": "3d3b5a6e-0000-4000-8000-000000000001",
  };
  if (signature) headers["x-hub-signature-256"] = signature;
  return fetch(`${base}/api/github/webhooks`, { method: "POST", headers, body: text });
}

describe("webhook signatures", () => {
  it("rejects a delivery without a signature", async () => {
    const response = await deliver(body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it("rejects a wrong signature", async () => {
    expect((await deliver(body, sign(body, "not-the-secret"))).status).toBe(400);
  });

  it("rejects a body changed after signing", async () => {
    const tampered = body.replace('"/claim"', '"/handoff @attacker"');
    expect((await deliver(tampered, sign(body))).status).toBe(400);
  });

  it("no handler ran and no GitHub request was made for any of them", () => {
    expect(handled).toEqual([]);
    expect(recordedCalls()).toEqual([]);
  });

  it("accepts a correctly signed delivery (the control that shows the rejections are meaningful)", async () => {
    const star = JSON.stringify(payload("star", "created", {}, "django"));
    const response = await fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "star",
        "x-github-delivery": "3d3b5a6e-0000-4000-8000-000000000002",
        "x-hub-signature-256": sign(star),
      },
      body: star,
    });
    expect(response.status).toBe(200);
    expect(handled).toEqual(["star"]);
  });

  it("answers the health check", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
