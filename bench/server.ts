import { createHmac, generateKeyPairSync } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import pino from "pino";
import { type ApplicationFunction, Probot, ProbotOctokit, Server } from "probot";

/** The real Probot HTTP server (signature verification included) on a free loopback port, and signed deliveries for it. */

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

/** `baseUrl` points the app's Octokit (auth included) at a mock GitHub instead of api.github.com. */
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

/** Sends `count` deliveries one after another; returns each latency in ms. Anything but 200 throws. */
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
