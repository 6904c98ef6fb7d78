import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { cpus } from "node:os";
import { Queue } from "bullmq";
import { DEFAULT_CHARTER_PATH } from "../src/charter/source.js";
import { QUEUE_NAME } from "../src/scale/queue.js";
import { as, FakeGitHub, type WebhookEvent, webhookSender } from "../test/fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT, exampleCharter } from "../test/helpers/charter.js";
import { freePort, startRedis } from "../test/helpers/redis.js";
import type { Benchmark } from "./types.js";

/**
 * Several replicas: 1,000 `repository_advisory.reported` deliveries across 50 installations, sent at
 * once to 1 replica and then (spread like a load balancer) to 2, each a separate OS process on a
 * real redis-server, against the fake GitHub answering every request after LATENCY_MS.
 */

const DELIVERIES = 1_000;
const ORGS = 50;
const LATENCY_MS = 20;
const SECRET = "bench-webhook-secret";
const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

interface Run {
  replicas: number;
  answerP50: number;
  answerP99: number;
  allProcessedMs: number;
  duplicates: number;
  missing: number;
  perSecond: number;
}

export const scaleBenchmark: Benchmark = {
  name: "scale",
  async run() {
    const one = await measure(1);
    const two = await measure(2);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const row = (r: Run) =>
      `| ${r.replicas} | ${ms(r.answerP50)} | ${ms(r.answerP99)} | ${(r.allProcessedMs / 1000).toFixed(1)} s | ${r.perSecond.toFixed(0)} | ${r.duplicates} | ${r.missing} |`;
    return {
      title: "Several replicas (Redis and BullMQ)",
      command: "npm run bench -- scale",
      markdown: [
        `${DELIVERIES.toLocaleString("en-US")} \`repository_advisory.reported\` deliveries across ${ORGS} installations, all sent at once,`,
        `to 1 replica and to 2 (alternating, as a load balancer would); every replica is its own process with a`,
        `worker (concurrency 20) on one real redis-server. The fake GitHub answers each request after ${LATENCY_MS} ms.`,
        'A delivery is answered as soon as its job is stored; "all processed" is the time until the queue is empty.',
        "Duplicates are tracking issues beyond one per advisory (target 0); missing are advisories without one.",
        "",
        "| replicas | answer p50 | answer p99 | all processed | advisories/s | duplicates | missing |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        row(one),
        row(two),
        "",
        `2 replicas / 1 replica throughput: ${(two.perSecond / one.perSecond).toFixed(2)}×. Here ${cpus().length} cores carry both replicas, Redis,`,
        "the fake GitHub and the sender, so a second replica adds little CPU; in production each replica has its own, and",
        "the answer time no longer depends on the work at all (GitHub's 10-second limit never decides what gets done).",
      ].join("\n"),
    };
  },
};

async function measure(count: number): Promise<Run> {
  const redis = await startRedis();
  const fake = new FakeGitHub({ now: () => new Date("2026-11-22T12:00:00Z"), latencyMs: LATENCY_MS });
  await fake.start();
  const events: WebhookEvent[] = [];
  const charter = exampleCharter();
  for (let i = 0; i < ORGS; i++) {
    const org = `org${i}`;
    fake.addOrg(org, { members: charter.members.map((m) => m.login) });
    fake.addTeam(org, `${org}-security-team`);
    for (const m of charter.members) fake.addTeamMember(org, `${org}-security-team`, m.login);
    fake.addRepo(`${org}/.github`);
    fake.setFile(`${org}/.github`, DEFAULT_CHARTER_PATH, EXAMPLE_CHARTER_TEXT.replaceAll("django", org));
    fake.addRepo(`${org}/security-reports`, { private: true });
    fake.addRepo(`${org}/project`);
  }
  for (let d = 0; d < DELIVERIES; d++) {
    events.push(
      ...as(fake, "jane-reporter").reportVulnerability(`org${d % ORGS}/project`, { summary: `report ${d}` }),
    );
  }
  const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port } });
  const replicas = await Promise.all(Array.from({ length: count }, () => startReplica(fake, redis.url)));
  try {
    const senders = replicas.map((r) =>
      webhookSender({ url: `${r.url}/api/github/webhooks`, secret: SECRET }),
    );
    const started = performance.now();
    const answers = await Promise.all(
      events.map(async (event, i) => {
        const t = performance.now();
        const delivery = await (senders[i % senders.length] as (typeof senders)[0]).send(event, {
          id: randomUUID(),
        });
        if (delivery.status !== 202) throw new Error(`answered ${delivery.status}`);
        return performance.now() - t;
      }),
    );
    for (;;) {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(counts).every((n) => n === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const allProcessedMs = performance.now() - started;
    let duplicates = 0;
    let missing = 0;
    for (const event of events) {
      const ghsa = (event.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
      const org = (event.payload.repository as { owner: { login: string } }).owner.login;
      const n = fake.issues(`${org}/security-reports`).filter((i) => i.body.includes(ghsa)).length;
      if (n === 0) missing++;
      duplicates += Math.max(0, n - 1);
    }
    answers.sort((a, b) => a - b);
    const at = (q: number) => answers[Math.min(answers.length - 1, Math.floor(q * answers.length))] ?? 0;
    return {
      replicas: count,
      answerP50: at(0.5),
      answerP99: at(0.99),
      allProcessedMs,
      duplicates,
      missing,
      perSecond: DELIVERIES / (allProcessedMs / 1000),
    };
  } finally {
    for (const r of replicas) r.process.kill("SIGKILL");
    await queue.close();
    await fake.stop();
    await redis.stop();
  }
}

async function startReplica(
  fake: FakeGitHub,
  redisUrl: string,
): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "test/scale/replica.ts"], {
    env: {
      PATH: process.env.PATH,
      APP_ID: String(fake.appId),
      PRIVATE_KEY,
      REPLICA_TIMINGS: "production",
      WEBHOOK_SECRET: SECRET,
      FAKE_GITHUB_URL: fake.baseUrl,
      PORT: String(port),
      REDIS_URL: redisUrl,
      SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z",
      SWEEP_CRON: "off",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (String(chunk).includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`replica exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}
