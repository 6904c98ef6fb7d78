import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { type Job, Queue } from "bullmq";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import { Mutex } from "redis-semaphore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import { main } from "../../src/cli/main.js";
import { createRuntime } from "../../src/context.js";
import { identityResolver } from "../../src/core/identity.js";
import { sweepKey } from "../../src/core/serialize.js";
import { createRedisLocks, LOCK_PREFIX } from "../../src/scale/locks.js";
import { QUEUE_NAME } from "../../src/scale/queue.js";
import { connectRedis } from "../../src/scale/redis.js";
import { sweepInstallation } from "../../src/sweep/sweep.js";
import {
  as,
  type Delivery,
  FakeGitHub,
  signature,
  startAppServer,
  type WebhookEvent,
  webhookSender,
} from "../fake-github/index.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT, exampleCharter } from "../helpers/charter.js";
import { freePort, startRedis, type TestRedis } from "../helpers/redis.js";

/**
 * Two replicas of the app as separate OS processes, sharing a real redis-server, against the
 * in-memory GitHub. Each race sends one delivery to both replicas at the same moment (a load
 * balancer's retry) and the same event again to each under new delivery ids (more deliveries of the
 * same fact): every object must end as one delivery leaves it (a control object, delivered once).
 */

const SECRET = "replicas-webhook-secret";
const NOW = "2026-11-22T12:00:00Z";
const TRACKER = "django/security-reports";
const PROJECT = "django/django";
const CHARTER_REPO = "django/.github";
const RACES = 20;
const METRICS_TOKEN = "scrape-token";

interface Replica {
  url: string;
  process: ChildProcess;
  send(event: WebhookEvent, extra?: { id?: string }): Promise<Delivery>;
  stopped: Promise<number | null>;
  stderr(): string;
}

let redis: TestRedis;
let fake: FakeGitHub;
let queue: Queue;
let replicas: Replica[];

beforeAll(async () => {
  redis = await startRedis();
  // Every answer takes a few milliseconds, as GitHub's do: two handlers racing overlap.
  fake = new FakeGitHub({ now: () => new Date(NOW), latencyMs: 5 });
  await fake.start();
  const charter = exampleCharter(new Date(NOW));
  fake.addOrg(charter.org, { members: charter.members.map((m) => m.login) });
  fake.addTeam(charter.org, charter.team);
  for (const m of charter.members) {
    const chair = m.roles.includes("chair") || m.roles.includes("co-chair");
    fake.addTeamMember(charter.org, charter.team, m.login, chair ? "maintainer" : "member");
  }
  fake.addRepo(CHARTER_REPO);
  fake.setFile(CHARTER_REPO, DEFAULT_CHARTER_PATH, EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addRepo(PROJECT);
  queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port } });
  replicas = await Promise.all([startReplica(), startReplica()]);
}, 60_000);

afterAll(async () => {
  for (const r of replicas ?? []) r.process.kill("SIGKILL");
  await Promise.all((replicas ?? []).map((r) => r.stopped));
  await queue?.close();
  await fake?.stop();
  await redis?.stop();
});

describe("the answer to a webhook with a queue", () => {
  it("a signed delivery is answered 202 once stored, and its job runs once", async () => {
    const [event] = as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: "accepted" }) as [
      WebhookEvent,
    ];
    const delivery = await (replicas[0] as Replica).send(event);
    expect([delivery.status, delivery.response]).toEqual([202, "accepted\n"]);
    const job = await finished(delivery.id);
    expect([await job?.isCompleted(), job?.attemptsMade, job?.data]).toEqual([
      true,
      1,
      { id: delivery.id, name: event.name, payload: event.payload },
    ]);
    expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf([event])))).toHaveLength(1);
  });

  it("the same delivery twice, to each replica, is one job", async () => {
    const [event] = as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: "twice" }) as [
      WebhookEvent,
    ];
    const [a, b] = replicas as [Replica, Replica];
    const first = await a.send(event);
    const second = await b.send(event, { id: first.id });
    expect([first.status, second.status]).toEqual([202, 202]);
    await finished(first.id);
    const runs = (await queue.getCompleted()).filter((j) => j.data.id === first.id);
    expect(runs.map((j) => [j.id, j.attemptsMade])).toEqual([[first.id, 1]]);
    expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf([event])))).toHaveLength(1);
  });

  it("an event no handler wants is answered 200 without a job", async () => {
    const delivery = await (replicas[0] as Replica).send({
      name: "star",
      payload: { action: "created", repository: { full_name: PROJECT }, sender: { login: "someone" } },
    });
    expect([delivery.status, delivery.response]).toEqual([200, "ok\n"]);
    expect(await queue.getJob(delivery.id)).toBeUndefined();
  });

  // The attacker: anyone can POST to the webhook endpoint. A forged or altered delivery is rejected
  // as Probot rejects it without a queue (same status, same body), and nothing reaches the queue.
  it("rejects a forged, altered or unsigned delivery and enqueues nothing", async () => {
    const single = await startAppServer(fake, {
      env: { SECURITY_TEAM_NOW: NOW, SWEEP_CRON: "off" },
      secret: SECRET,
      privateKey: TEST_PRIVATE_KEY,
    });
    try {
      const [event] = as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: "forged" }) as [
        WebhookEvent,
      ];
      const body = JSON.stringify(event.payload);
      const altered = body.replace("forged", "altered");
      const forgeries = [
        { body, signature: signature("guessed-secret", body) },
        { body: altered, signature: signature(SECRET, body) }, // changed after signing
        { body, signature: `sha256=${"0".repeat(64)}` },
        { body, signature: signature(SECRET, body).replace("sha256=", "sha1=") },
        { body, signature: undefined },
      ];
      for (const forgery of forgeries) {
        const id = randomUUID();
        const queued = await post((replicas[0] as Replica).url, event.name, id, forgery);
        const alone = await post(single.url, event.name, randomUUID(), forgery);
        expect(queued.status).toBe(400);
        expect(queued).toEqual(alone);
        expect(await queue.getJob(id)).toBeUndefined();
      }
      // Positive control: the same body, signed with the secret, is taken.
      const id = randomUUID();
      const signed = await post((replicas[0] as Replica).url, event.name, id, {
        body,
        signature: signature(SECRET, body),
      });
      expect(signed.status).toBe(202);
      await finished(id);
      expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf([event])))).toHaveLength(1);
    } finally {
      await single.stop();
    }
  });
});

/** The job of one delivery, once it has run (other tests' retries may still wait in the queue). */
async function finished(id: string) {
  await waitFor(async () => ((await (await queue.getJob(id))?.isCompleted()) ? true : undefined));
  return (await queue.getJob(id)) as Job;
}

describe("two replicas on one Redis", () => {
  it("a reported advisory raced to both replicas gets one tracking issue", async () => {
    const reports = Array.from({ length: RACES + 1 }, (_, i) =>
      as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: `report ${i}` }),
    );
    const [control, ...raced] = reports as [WebhookEvent[], ...WebhookEvent[][]];
    await deliverOnce(control);
    const answers = await Promise.all(raced.map((events) => race(events)));
    await drained();
    expect(answers.flat().every((d) => d.status === 202)).toBe(true);
    for (const events of reports) {
      const ghsa = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
      const issues = fake.issues(TRACKER).filter((i) => i.body.includes(ghsa));
      expect(issues.map((i) => ({ comments: i.comments.length, assignees: i.assignees.length }))).toEqual([
        { comments: trackingOf(control).comments.length, assignees: trackingOf(control).assignees.length },
      ]);
    }
  });

  it.each([
    ["the claim label", (n: number) => as(fake, "shaib").addLabel(TRACKER, n, "claim")],
    ["`/claim`", (n: number) => as(fake, "shaib").comment(TRACKER, n, "/claim")],
  ])("%s raced to both replicas is one claim, one comment", async (_what, claim) => {
    const reports = Array.from({ length: RACES + 1 }, (_, i) =>
      as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: `claimed ${i}` }),
    );
    await deliverOnce(reports.flat());
    const issues = reports.map(trackingOf);
    const [control, ...raced] = issues as [(typeof issues)[0], ...typeof issues];
    await deliverOnce(claim(control.number));
    await Promise.all(raced.map((issue) => race(claim(issue.number))));
    await drained();
    const outcome = (i: typeof control) => ({
      assignees: fake.issue(TRACKER, i.number).assignees,
      labels: fake.issue(TRACKER, i.number).labels,
      appComments: fake.issue(TRACKER, i.number).comments.filter((c) => c.viaApp).length,
    });
    expect(outcome(control).assignees).toEqual(["shaib"]);
    for (const issue of raced) expect(outcome(issue)).toEqual(outcome(control));
  });

  it("a charter pull request raced to both replicas gets one `charter` check run", async () => {
    const pulls = Array.from({ length: RACES + 1 }, (_, i) =>
      as(fake, "shaib").openPullWithFile(CHARTER_REPO, {
        branch: `add-nominee-${i}`,
        path: DEFAULT_CHARTER_PATH,
        text: EXAMPLE_CHARTER_TEXT.replace(
          "\npolicy:",
          `  - login: nominee${i}\n    affiliation: Acme\n    roles: [triager]\n    joined: 2026-12-01\n\npolicy:`,
        ),
        title: `Add nominee${i}`,
      }),
    );
    const [control, ...raced] = pulls as [WebhookEvent[], ...WebhookEvent[][]];
    await deliverOnce(control);
    await Promise.all(raced.map((events) => race(events)));
    await drained();
    const runs = (events: WebhookEvent[]) => {
      const sha = (events[0]?.payload.pull_request as { head: { sha: string } }).head.sha;
      return fake.checkRuns(CHARTER_REPO, sha).filter((r) => r.name === "charter").length;
    };
    expect(runs(control)).toBe(1);
    expect(raced.map(runs)).toEqual(Array(RACES).fill(1));
  });

  it("two sweeps at once (two processes' locks) post one reminder per stage", async () => {
    const later = "2026-12-20T12:00:00Z"; // every open report is past its stages
    const sweeps = await Promise.all([sweepAt(later), sweepAt(later)]);
    const reminders = (n: number) => fake.issue(TRACKER, n).comments.filter((c) => c.viaApp);
    const open = fake.issues(TRACKER).filter((i) => i.state === "open");
    const counts = open.map((i) => reminders(i.number).length);
    // The second sweep waited for the first, then found nothing left to do.
    expect(sweeps.map((s) => s.reports?.actions.length ?? 0).sort((a, b) => a - b)[0]).toBe(0);
    expect((await sweepAt(later)).reports?.actions).toEqual([]);
    expect(open.map((i) => reminders(i.number).length)).toEqual(counts);
    for (const issue of open) {
      const bodies = reminders(issue.number).map((c) => c.body);
      expect(new Set(bodies).size, `#${issue.number} has a comment twice`).toBe(bodies.length);
    }
  });

  it("`security-team sweep` with REDIS_URL waits for the org's sweep lock that a replica holds", async () => {
    const held = new Mutex(redis.client, `${LOCK_PREFIX}${sweepKey("django")}`, { lockTimeout: 30_000 });
    await held.acquire();
    const out: string[] = [];
    let finished = false;
    const env = {
      APP_ID: String(fake.appId),
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      GHE_HOST: fake.baseUrl.replace("http://", ""),
      GHE_PROTOCOL: "http",
      REDIS_URL: redis.url,
      SECURITY_TEAM_NOW: "2026-12-20T12:00:00Z",
    };
    const sweeping = main(["sweep", "--org", "django", "--json", "--verbose"], {
      out: (t) => out.push(t),
      err: () => {},
      env,
    });
    void sweeping.then(() => {
      finished = true;
    });
    const readsBefore = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500)); // time enough to start, had it not waited
    expect(finished).toBe(false);
    // It authenticated, then stopped at the lock: no read of the org's charter or reports yet.
    expect(fake.requests.slice(readsBefore).filter((r) => r.path.includes("security-charter"))).toEqual([]);
    await held.release();
    expect(await sweeping).toBe(0);
    expect(JSON.parse(out.join("")).reports.actions).toEqual([]); // the earlier sweep did it all
  });

  it("answers a webhook at once and keeps a failed job with its reason", async () => {
    const events = as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: "kept" });
    const grant = fake.denyPermission("POST", /^\/repos\/django\/security-reports\/issues$/, "issues=write");
    const [delivery] = await Promise.all(events.map((e) => replicas[0]?.send(e) as Promise<Delivery>));
    expect(delivery?.status).toBe(202);
    const failed = await waitFor(async () => {
      const job = await queue.getJob(delivery?.id ?? "");
      return (await job?.isFailed()) ? job : undefined;
    });
    expect(failed.failedReason).toMatch(/write\(s\) failed|Resource not accessible/);
    expect(failed.attemptsMade).toBe(5);
    expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf(events)))).toEqual([]);
    // Fixed, then GitHub's "Redeliver" (the same delivery id): the kept job runs again and finishes.
    grant();
    const again = await (replicas[1] as Replica).send(events[0] as WebhookEvent, { id: delivery?.id ?? "" });
    expect(again.status).toBe(202);
    await drained();
    expect(await (await queue.getJob(delivery?.id ?? ""))?.isCompleted()).toBe(true);
    expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf(events)))).toHaveLength(1);
  });

  it("a 200-member sync is answered at once, survives its replica being killed, and completes", async () => {
    const logins = Array.from({ length: 200 }, (_, i) => `member${i}`);
    fake.addOrgMembers("django", logins);
    const entries = logins
      .map(
        (l) => `  - login: ${l}\n    affiliation: Org ${l}\n    roles: [triager]\n    joined: 2026-01-01\n`,
      )
      .join("");
    const [opened] = as(fake, "sarahboyce").openPullWithFile(CHARTER_REPO, {
      branch: "add-200",
      path: DEFAULT_CHARTER_PATH,
      text: EXAMPLE_CHARTER_TEXT.replace("\npolicy:", `${entries}\npolicy:`),
      title: "Add 200 members",
    }) as [WebhookEvent];
    const number = (opened.payload.pull_request as { number: number }).number;
    const push = as(fake, "sarahboyce")
      .merge(CHARTER_REPO, number)
      .find((e) => e.name === "push") as WebhookEvent;
    const teamSize = () => fake.teamMembers("django", "django-security-team").length;
    const before = teamSize();
    // Only a third replica takes jobs; the two others are paused until it is killed mid-job.
    const doomed = await startReplica();
    await pause(replicas);
    let delivery = "";
    try {
      const answer = await doomed.send(push);
      delivery = answer.id;
      expect(answer.status).toBe(202);
      expect(teamSize()).toBeLessThan(before + 200); // answered before the work was done
      await waitFor(async () => (teamSize() >= before + 20 ? true : undefined), 10_000);
      doomed.process.kill("SIGKILL");
      await doomed.stopped;
      expect(teamSize()).toBeLessThan(before + 200); // killed mid-job
    } finally {
      for (const r of replicas) r.process.kill("SIGCONT");
    }
    await drained();
    expect(teamSize()).toBe(before + 200);
    expect(await (await queue.getJob(delivery))?.isCompleted()).toBe(true);
  }, 45_000);

  it("`security-team worker` runs queued jobs without an HTTP server, throttled per installation in Redis", async () => {
    const [event] = as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: "for the worker" }) as [
      WebhookEvent,
    ];
    await pause(replicas); // only the worker takes jobs
    const worker = spawn(process.execPath, ["bin/security-team.js", "worker"], {
      env: {
        PATH: process.env.PATH,
        APP_ID: String(fake.appId),
        PRIVATE_KEY: TEST_PRIVATE_KEY,
        GHE_HOST: fake.baseUrl.replace("http://", ""),
        GHE_PROTOCOL: "http",
        REDIS_URL: redis.url,
        SECURITY_TEAM_NOW: NOW,
        SWEEP_CRON: "off",
        LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    try {
      // What a replica's HTTP side does with a verified delivery (src/scale/queue.ts `enqueue`).
      const id = randomUUID();
      await queue.add("webhook", { id, name: event.name, payload: event.payload }, { jobId: id });
      await waitFor(async () => ((await (await queue.getJob(id))?.isCompleted()) ? true : undefined));
      expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf([event])))).toHaveLength(1);
      // GitHub's throttling for this installation's writes lives in Redis under its own id, not the
      // one queue every installation shared.
      const throttles = await redis.client.keys("b_octokit-write-*_settings");
      expect(throttles).toEqual([
        `b_octokit-write-security-team-installation-${fake.org("django").installationId}_settings`,
      ]);
      worker.kill("SIGTERM"); // graceful: nothing running, exits 0
      expect(await exited).toBe(0);
    } finally {
      worker.kill("SIGKILL");
      for (const r of replicas) r.process.kill("SIGCONT");
    }
  }, 45_000);

  it("replicas starting share one sweep schedule, and redeliver what failed while down once", async () => {
    const [event] = as(fake, "jane-reporter").reportVulnerability(PROJECT, { summary: "while down" }) as [
      WebhookEvent,
    ];
    const failed = fake.recordDelivery({ guid: randomUUID(), event: event.name, status_code: 502 });
    // Failed, then succeeded on GitHub's own retry: nothing to do.
    const recovered = randomUUID();
    fake.recordDelivery({ guid: recovered, event: event.name, status_code: 502 });
    fake.recordDelivery({ guid: recovered, event: event.name, status_code: 200 }, true);
    fake.hookRedeliver = async (delivery) => {
      const answer = await (replicas[0] as Replica).send(event, { id: delivery.guid });
      fake.recordDelivery({ guid: delivery.guid, event: event.name, status_code: answer.status }, true);
    };
    // Two replicas start (a deploy): each looks at the deliveries; one asks, once.
    const yearly = { SWEEP_CRON: "0 0 1 1 *" };
    const started = await Promise.all([startReplica(yearly), startReplica(yearly)]);
    try {
      await waitFor(async () => (fake.hookDeliveries.length === 4 ? true : undefined), 8_000);
      await drained();
      const looks = () =>
        fake.requests.filter((r) => r.method === "GET" && r.path.includes("/app/hook/deliveries")).length;
      const looked = looks();
      const again = await startReplica(yearly); // a later start: the mark is past them all
      started.push(again);
      // Its check (1 s after start) is over once it has read the deliveries and let go of their lock.
      await waitFor(async () =>
        looks() > looked && !(await redis.client.exists(`${LOCK_PREFIX}deliveries`)) ? true : undefined,
      );
      expect(fake.redeliveryRequests).toEqual([failed.id]);
      expect(fake.issues(TRACKER).filter((i) => i.body.includes(ghsaOf([event])))).toHaveLength(1);
      // Three replicas upserted the same scheduler: one. A tick (here added by hand, twice) is one
      // sweep job per installation.
      expect((await queue.getJobSchedulers()).map((j) => j.pattern)).toEqual(["0 0 1 1 *"]);
      await queue.add("sweep-tick", {}, { jobId: "tick-test" });
      await queue.add("sweep-tick", {}, { jobId: "tick-test" });
      await drained();
      const installation = fake.org("django").installationId;
      const sweeps = (await queue.getCompleted()).filter(
        (j) => j.name === "sweep" && j.id?.endsWith("tick-test"),
      );
      expect(sweeps.map((j) => [j.id, j.data])).toEqual([
        [`sweep-${installation}-tick-test`, { installationId: installation, org: "django" }],
      ]);
    } finally {
      for (const r of started) r.process.kill("SIGKILL");
      fake.hookRedeliver = undefined;
      await queue.removeJobScheduler("sweep");
    }
  }, 45_000);
});

/**
 * Stops replicas' processes (SIGSTOP; SIGCONT resumes them). A stopped worker's connection still
 * waits in Redis for the next job (BullMQ's blocking wait, up to its 5 s drain delay) and would be
 * handed it: those waits are ended as their timeout would end them, so only running workers take jobs.
 */
async function pause(stopped: Replica[]): Promise<void> {
  for (const r of stopped) r.process.kill("SIGSTOP");
  const clients = String(await redis.client.call("CLIENT", "LIST")).split("\n");
  for (const line of clients) {
    const id = /^id=(\d+) /.exec(line)?.[1];
    const flags = / flags=(\S+) /.exec(line)?.[1] ?? "";
    // A running worker (another replica, the worker command) just waits again.
    if (id && flags.includes("b")) await redis.client.call("CLIENT", "UNBLOCK", id);
  }
}

/** A POST to the webhook endpoint with the signature header given (or none). */
async function post(url: string, event: string, id: string, request: { body: string; signature?: string }) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": id,
  };
  if (request.signature) headers["x-hub-signature-256"] = request.signature;
  const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body: request.body });
  return { status: response.status, body: await response.text() };
}

describe("/metrics", () => {
  it("shows webhook answers, jobs, queue depth and GitHub requests per installation", async () => {
    const headers = { authorization: `Bearer ${METRICS_TOKEN}` };
    const texts = await Promise.all(
      replicas.map(async (r) => (await fetch(`${r.url}/metrics`, { headers })).text()),
    );
    const all = texts.join("\n");
    expect(texts[0]).toMatch(
      /^security_team_webhooks_total\{event="repository_advisory.reported",status="202"\} \d+$/m,
    );
    expect(all).toMatch(
      /^security_team_jobs_total\{kind="webhook",event="issues.labeled",outcome="completed"\} \d+$/m,
    );
    expect(all).toMatch(
      /^security_team_job_duration_seconds_count\{kind="webhook",event="pull_request.opened"\} \d+$/m,
    );
    expect(all).toMatch(/^security_team_queue_jobs\{state="waiting"\} 0$/m);
    expect(all).toMatch(/^security_team_queue_jobs\{state="failed"\} \d+$/m);
    expect(all).toMatch(
      /^security_team_jobs_total\{kind="webhook",event="repository_advisory.reported",outcome="failed"\} 1$/m,
    );
    expect(all).toMatch(
      /^security_team_jobs_total\{kind="webhook",event="repository_advisory.reported",outcome="retrying"\} \d+$/m,
    );
    expect(all).toMatch(
      /^security_team_github_requests_total\{installation="django",method="POST",status="201"\} \d+$/m,
    );
    expect(all).toContain("# TYPE security_team_github_rate_limit_remaining gauge");
    expect(all).not.toMatch(/GHSA-|report \d/); // no report contents in labels
  });

  it("answers only with METRICS_TOKEN: activity says when reports come in", async () => {
    const url = `${(replicas[0] as Replica).url}/metrics`;
    const wrong = await fetch(url, { headers: { authorization: "Bearer guess" } });
    expect([(await fetch(url)).status, wrong.status]).toEqual([401, 401]);
    expect(wrong.headers.get("www-authenticate")).toBe("Bearer");
    expect(await wrong.text()).toBe("");
  });
});

function ghsaOf(events: WebhookEvent[]): string {
  return (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
}

/** The same delivery to both replicas at once, and the same event again to each under new delivery ids. */
async function race(events: WebhookEvent[]): Promise<Delivery[]> {
  const [a, b] = replicas as [Replica, Replica];
  const sent = events.flatMap((event) => {
    const id = randomUUID();
    return [a.send(event, { id }), b.send(event, { id }), a.send(event), b.send(event)];
  });
  return Promise.all(sent);
}

/** Each event delivered once (to one replica), then every job run. */
async function deliverOnce(events: WebhookEvent[]): Promise<void> {
  const deliveries = await Promise.all(events.map((event) => (replicas[0] as Replica).send(event)));
  expect(deliveries.map((d) => d.status)).toEqual(deliveries.map(() => 202));
  await drained();
}

function trackingOf(events: WebhookEvent[]) {
  const ghsa = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
  const issue = fake.issues(TRACKER).find((i) => i.body.includes(ghsa));
  if (!issue) throw new Error(`no tracking issue for ${ghsa}`);
  return issue;
}

/** Until no job waits, runs or waits to be retried (the schedule's next tick is not work). */
async function drained(): Promise<void> {
  await waitFor(async () => {
    const counts = await queue.getJobCounts("waiting", "active", "prioritized");
    const retries = (await queue.getDelayed()).filter((job) => job.name !== "sweep-tick");
    return Object.values(counts).every((n) => n === 0) && retries.length === 0 ? true : undefined;
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A sweep as a replica's worker runs it: its own Redis connection and locks. */
async function sweepAt(now: string) {
  const connection = await connectRedis(redis.url, "test-sweep");
  const log = pino({ level: "silent" });
  const probot = new (Probot.defaults({
    appId: fake.appId,
    privateKey: TEST_PRIVATE_KEY,
    baseUrl: fake.baseUrl,
    log,
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  }))();
  try {
    const rt = createRuntime({
      octokit: await probot.auth(fake.org("django").installationId),
      log,
      org: "django",
      env: { SECURITY_TEAM_NOW: now },
      self: identityResolver(() => probot.auth()),
      dryRun: false,
      sleep: async () => {},
      locks: createRedisLocks(connection, log),
    });
    return await sweepInstallation(rt);
  } finally {
    connection.disconnect();
  }
}

async function startReplica(env: NodeJS.ProcessEnv = {}): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "test/scale/replica.ts"], {
    env: {
      PATH: process.env.PATH,
      APP_ID: String(fake.appId),
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      FAKE_GITHUB_URL: fake.baseUrl,
      PORT: String(port),
      REDIS_URL: redis.url,
      SECURITY_TEAM_NOW: NOW,
      SWEEP_CRON: "off",
      METRICS_TOKEN,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stopped = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (String(chunk).includes("ready")) resolve();
    });
    void stopped.then((code) => reject(new Error(`replica exited ${code}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const sender = webhookSender({ url: `${url}/api/github/webhooks`, secret: SECRET });
  return { url, process: child, send: sender.send, stopped, stderr: () => stderr };
}
