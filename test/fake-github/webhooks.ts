import { createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";

/** A webhook as GitHub sends it: the event name (`X-GitHub-Event`) and the JSON payload. */
export interface WebhookEvent {
  name: string;
  payload: Record<string, unknown>;
}

export interface Delivery {
  id: string;
  event: string;
  status: number;
  response: string;
}

/** `X-Hub-Signature-256`: HMAC-SHA256 of the exact body with the webhook secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Delivers webhooks to an app's real HTTP endpoint the way GitHub does (signed JSON POST with the
 * event, delivery id and signature headers) and waits for the answer: Probot answers once the
 * handlers have finished, so when this resolves the app's work for the event is done.
 */
export function webhookSender(options: { url: string; secret: string }) {
  async function send(event: WebhookEvent, extra: { signed?: boolean; id?: string } = {}): Promise<Delivery> {
    const id = extra.id ?? randomUUID();
    const body = JSON.stringify(event.payload);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/fake",
      "x-github-event": event.name,
      "x-github-delivery": id,
      "x-github-hook-installation-target-type": "integration",
    };
    if (extra.signed !== false) headers["x-hub-signature-256"] = signature(options.secret, body);
    const { status, text } = await post(options.url, headers, body);
    return { id, event: eventLabel(event), status, response: text };
  }
  return {
    send,
    /** Sends each event in order; every one must be accepted (2xx), or this throws. */
    async deliver(events: WebhookEvent[]): Promise<Delivery[]> {
      const deliveries: Delivery[] = [];
      for (const event of events) {
        const delivery = await send(event);
        if (delivery.status >= 300)
          throw new Error(
            `${delivery.event}: the app answered ${delivery.status} ${delivery.response.trim()}`,
          );
        deliveries.push(delivery);
      }
      return deliveries;
    },
  };
}

export function eventLabel(event: WebhookEvent): string {
  const action = event.payload.action;
  return typeof action === "string" ? `${event.name}.${action}` : event.name;
}

/** One POST on its own connection (no keep-alive), as GitHub's deliveries arrive. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
