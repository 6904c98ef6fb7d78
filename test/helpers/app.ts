import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import nock from "nock";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/index.js";
import { API, APP_ID, mockAppAuth } from "./github.js";

export const TEST_PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

export interface TestApp {
  probot: Probot;
  /** Every log line the app wrote, as JSON text: for "never logs secrets" assertions. */
  logs: string[];
  receive(name: string, payload: unknown): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Octokit's retry plugin (off by default so mocks see each request once). */
  retry?: boolean;
}

/**
 * The real app loaded into Probot, talking to nock. Throttling is off (Probot spaces writes by a
 * second otherwise); the function form of `defaults` is the one that actually disables it in v14.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const probot = new Probot({
    appId: APP_ID,
    privateKey: TEST_PRIVATE_KEY,
    log: pino({ level: "debug" }, stream),
    Octokit: ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      retry: { enabled: options.retry ?? false, retryAfterBaseValue: 1 },
      throttle: { enabled: false },
    })),
  });
  // The in-process sweep schedule stays off: tests run sweeps explicitly, never on a real timer.
  const env = { SECURITY_TEAM_NOW: "2026-11-22T12:00:00Z", SWEEP_CRON: "off", ...options.env };
  await probot.load(createApp({ env, sleep: async () => {} }), { cwd: process.cwd(), addHandler: () => {} });
  mockAppAuth();
  return {
    probot,
    logs,
    receive: (name, payload) => {
      issueAsInPayload(payload);
      return probot.receive({ id: randomUUID(), name, payload } as never);
    },
  };
}

/**
 * Commands read the issue as it is now. Unless a test answers that read itself (its interceptor,
 * registered earlier, wins), GitHub has the issue as the event carries it; nobody needs to read it.
 */
function issueAsInPayload(payload: unknown): void {
  const { issue, repository } = payload as {
    issue?: { number?: number };
    repository?: { name?: string; owner?: { login?: string } };
  };
  if (!issue?.number || !repository?.owner?.login || !repository.name) return;
  nock(API)
    .get(`/repos/${repository.owner.login}/${repository.name}/issues/${issue.number}`)
    .optionally()
    .reply(200, issue);
}
