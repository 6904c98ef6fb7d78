import { runCompiled } from "./compiled.js";
import type { Benchmark } from "./types.js";
import type { WebhookMeasurement } from "./webhooks-child.js";

/**
 * Webhook throughput and latency through the real HTTP server, signature verification included, next
 * to a bare Probot app that does nothing: measured in alternating rounds in one fresh process on the
 * compiled app (bench/webhooks-child.ts), reported as ratios.
 */

const ms = (n: number) => `${n.toFixed(1)} ms`;

export const webhooksBenchmark: Benchmark = {
  name: "webhooks",
  async run() {
    const m = runCompiled<WebhookMeasurement>("webhooks-child", []);
    const ignoredRatio = m.ignored.perSecond / m.bare.perSecond;
    const claimRatio = m.claim.perSecond / m.bare.perSecond;
    return {
      title: "Webhook path",
      command: "npm run bench -- webhooks",
      markdown: [
        `Signed deliveries through the real HTTP server (signature verified), sequential, ${m.deliveries.toLocaleString("en-US")} per row in ${m.rounds} rounds that alternate the rows (rotating their order), on the compiled app in a fresh process.`,
        "(a) is a `star` event, which no handler listens to. (b) is a member adding the `claim` label to a tracking",
        `issue: its ${m.claim.requestsPerClaim} GitHub calls (${m.claim.routes.map((r) => `\`${r.replace(/\/repos\/django\/(security-reports|django)/, "…")}\``).join(", ")})`,
        "are answered by a zero-latency mock GitHub on 127.0.0.1 in the same process, from GitHub's documented example",
        "responses; the installation token and the app's identity are fetched once and cached, as in production.",
        "",
        "| server, event | events/s | ratio to bare Probot | p50 | p99 | target |",
        "| --- | --- | --- | --- | --- | --- |",
        `| bare Probot app (does nothing), \`star\` | ${m.bare.perSecond.toFixed(0)} | 1.00 | ${ms(m.bare.p50)} | ${ms(m.bare.p99)} | |`,
        `| (a) security-team-app, \`star\` (ignored) | ${m.ignored.perSecond.toFixed(0)} | ${ignoredRatio.toFixed(2)} | ${ms(m.ignored.p50)} | ${ms(m.ignored.p99)} | ≥ 0.8 ${ignoredRatio >= 0.8 ? "✅" : "❌"} |`,
        `| (b) security-team-app, claim by label | ${m.claim.perSecond.toFixed(0)} | ${claimRatio.toFixed(2)} | ${ms(m.claim.p50)} | ${ms(m.claim.p99)} | |`,
        "",
        `A claim costs ${m.claim.requestsPerClaim} sequential round trips to GitHub and a charter read and validation per event; against`,
        "the real GitHub (tens of milliseconds per call) the round trips, not the app, set its latency.",
      ].join("\n"),
    };
  },
};
