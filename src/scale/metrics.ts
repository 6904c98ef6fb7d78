import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { GitHub } from "../core/executor.js";

/**
 * What `/metrics` shows, in Prometheus text format (prom-client). The names and labels are the
 * operator's contract: docs/deployment.md lists them. No label carries report contents; the
 * `installation` label is the org's login.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "security_team_" });
  let queueCounts: (() => Promise<Record<string, number>>) | undefined;
  const metrics = {
    registry,
    webhooks: new Counter({
      name: "security_team_webhooks_total",
      help: "Verified webhook deliveries answered, by event and HTTP status",
      labelNames: ["event", "status"] as const,
      registers: [registry],
    }),
    jobs: new Counter({
      name: "security_team_jobs_total",
      help: "Queue jobs ended, by kind, event and outcome (completed, retrying, failed)",
      labelNames: ["kind", "event", "outcome"] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "security_team_job_duration_seconds",
      help: "How long a queue job ran, by kind and event",
      labelNames: ["kind", "event"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: "security_team_queue_jobs",
      help: "Jobs in the queue, by state (waiting, active, delayed, failed, prioritized)",
      labelNames: ["state"] as const,
      registers: [registry],
      async collect() {
        if (!queueCounts) return;
        for (const [state, n] of Object.entries(await queueCounts())) this.set({ state }, n);
      },
    }),
    githubRequests: new Counter({
      name: "security_team_github_requests_total",
      help: "Requests to GitHub, by installation (org), method and status",
      labelNames: ["installation", "method", "status"] as const,
      registers: [registry],
    }),
    rateLimitRemaining: new Gauge({
      name: "security_team_github_rate_limit_remaining",
      help: "GitHub's x-ratelimit-remaining at the last answer, by installation (org) and resource",
      labelNames: ["installation", "resource"] as const,
      registers: [registry],
    }),
    /** The queue's depth is read from Redis at each scrape. */
    watchQueue(counts: () => Promise<Record<string, number>>): void {
      queueCounts = counts;
    },
    /** Counts every request a client makes for `org`, and keeps its rate-limit headroom. */
    observe(octokit: GitHub, org: string): void {
      const installation = org.toLowerCase();
      octokit.hook.after("request", (response, options) => {
        metrics.githubRequests.inc({ installation, method: options.method, status: String(response.status) });
        const remaining = Number(response.headers["x-ratelimit-remaining"]);
        const resource = String(response.headers["x-ratelimit-resource"] ?? "core");
        if (Number.isFinite(remaining)) metrics.rateLimitRemaining.set({ installation, resource }, remaining);
      });
      octokit.hook.error("request", (error, options) => {
        const status = (error as { status?: unknown }).status;
        metrics.githubRequests.inc({
          installation,
          method: options.method,
          status: typeof status === "number" ? String(status) : "error",
        });
        throw error;
      });
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * `GET /metrics`, for whoever presents `METRICS_TOKEN` as a bearer token; without the setting there is
 * no such route (false: the next handler answers 404). Activity is itself sensitive: a rising
 * `repository_advisory.reported` count says that a report came in.
 */
export function serveMetrics(
  metrics: Metrics,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (!token) return false;
  if (!sameSecret(req.headers.authorization ?? "", `Bearer ${token}`)) {
    res.writeHead(401, { "www-authenticate": "Bearer" }).end();
    return true;
  }
  metrics.registry.metrics().then(
    (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
    () => res.writeHead(500).end(),
  );
  return true;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
