import { createHmac, generateKeyPairSync } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import pino from "pino";
import { type ApplicationFunction, Probot, ProbotOctokit, Server } from "probot";
import { createApp } from "../src/index.js";
import type { Benchmark } from "./types.js";

/**
 * Webhook throughput through the real HTTP server, signature verification included: our app next to
 * a bare Probot app that does nothing, measured in alternating rounds in one process so that machine
 * drift affects both sides alike. Reported as a ratio.
 */

const SECRET = "bench-secret";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** A free loopback port (Probot treats port 0 as "use the default", 3000). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export async function startServer(appFn: ApplicationFunction, baseUrl?: string): Promise<RunningServer> {
  const log = pino({ level: "silent" });
  const port = await freePort();
  const server = new Server({
    Probot: Probot.defaults({
      appId: 1,
      privateKey: PRIVATE_KEY,
      secret: SECRET,
      log,
      ...(baseUrl ? { baseUrl } : {}),
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
        ...o,
        throttle: { enabled: false },
      })),
    }),
    host: "127.0.0.1",
    port,
    log,
    loggingOptions: { autoLogging: false } as never,
  });
  await server.load(appFn);
  await server.start();
  return { url: `http://127.0.0.1:${port}`, stop: () => server.stop() };
}

export function signedDelivery(event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": "00000000-0000-4000-8000-000000000000",
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
  };
}

/** Sends `count` deliveries one after another; returns each latency in ms. */
export async function deliverMany(url: string, delivery: ReturnType<typeof signedDelivery>, count: number) {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", ...delivery });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
    latencies.push(performance.now() - start);
  }
  return latencies;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const starPayload = {
  action: "created",
  starred_at: "2026-11-22T00:00:00Z",
  repository: { id: 1, name: "django", full_name: "django/django", owner: { login: "django" } },
  sender: { login: "someone", type: "User" },
};

export const ignoredWebhookBenchmark: Benchmark = {
  name: "webhooks",
  async run() {
    const ours = await startServer(createApp({ env: { SWEEP_CRON: "off" } }));
    const bare = await startServer(() => {});
    const delivery = signedDelivery("star", starPayload);
    const rounds = 5;
    const perRound = 300;
    let oursMs = 0;
    let bareMs = 0;
    await deliverMany(ours.url, delivery, 100); // warm-up
    await deliverMany(bare.url, delivery, 100);
    for (let r = 0; r < rounds; r++) {
      oursMs += (await deliverMany(ours.url, delivery, perRound)).reduce((a, b) => a + b, 0);
      bareMs += (await deliverMany(bare.url, delivery, perRound)).reduce((a, b) => a + b, 0);
    }
    await ours.stop();
    await bare.stop();
    const n = rounds * perRound;
    const oursRate = (n / oursMs) * 1000;
    const bareRate = (n / bareMs) * 1000;
    const ratio = oursRate / bareRate;
    return {
      title: "Webhook path: an event the app ignores",
      command: "npm run bench -- webhooks",
      markdown: [
        `Signed \`star\` deliveries through the real HTTP server (signature verified), ${n} per side, sequential, in ${rounds} alternating rounds.`,
        "",
        "| server | events/s | ratio to bare Probot | target |",
        "| --- | --- | --- | --- |",
        `| bare Probot app (does nothing) | ${bareRate.toFixed(0)} | 1.00 | |`,
        `| security-team-app | ${oursRate.toFixed(0)} | ${ratio.toFixed(2)} | ≥ 0.8 ${ratio >= 0.8 ? "✅" : "❌"} |`,
      ].join("\n"),
    };
  },
};
