import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseCron } from "../../src/sweep/cron.js";
import { scheduleSweeps, startScheduler, sweepAllInstallations } from "../../src/sweep/schedule.js";
import { createTestApp } from "../helpers/app.js";
import { replyCharter } from "../helpers/charter.js";
import { APP_LOGIN, github, recordedCalls } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { fakeSteps } from "./fixtures.js";
import { mockTracker, trackingIssue } from "./tracker.js";

describe("startScheduler (fake timers: no real timer is started)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-22T12:58:30Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const log = { error: vi.fn() };

  it("runs on each minute the expression matches, and only then", async () => {
    const run = vi.fn(async () => {});
    const scheduler = startScheduler({ matcher: parseCron("0 * * * *"), run, log });
    await vi.advanceTimersByTimeAsync(60_000); // 12:59:30
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000); // 13:00 passed
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60 * 60_000); // 14:00 passed
    expect(run).toHaveBeenCalledTimes(2);
    await scheduler.stop();
  });

  it("does not start a sweep while the previous one still runs; stop waits for it and ends the schedule", async () => {
    let finish: () => void = () => {};
    let stopping: () => boolean = () => false;
    const run = vi.fn(
      (isStopping: () => boolean) =>
        new Promise<void>((resolve) => {
          stopping = isStopping;
          finish = resolve;
        }),
    );
    const scheduler = startScheduler({ matcher: parseCron("* * * * *"), run, log });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(run).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stop = scheduler.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopping()).toBe(true);
    expect(stopped).toBe(false);
    finish();
    await stop;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("logs a failed sweep and keeps the schedule", async () => {
    const run = vi.fn().mockRejectedValueOnce(new Error("boom")).mockResolvedValue(undefined);
    const scheduler = startScheduler({ matcher: parseCron("* * * * *"), run, log });
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(log.error).toHaveBeenCalledWith({ error: "boom" }, "scheduled sweep failed");
    expect(run.mock.calls.length).toBeGreaterThan(1);
    await scheduler.stop();
  });
});

describe("sweepAllInstallations", () => {
  it("sweeps each organization installation with its own token and skips user accounts", async () => {
    const app = await createTestApp({ env: { SECURITY_TEAM_NOW: "2026-11-03T10:00:00Z" } });
    const [example] = exampleResponse("apps/list-installations") as Record<string, unknown>[];
    const installation = (id: number, login: string, type: "Organization" | "User") => ({
      ...example,
      id,
      target_type: type,
      account: { ...(example?.account as object), login, type },
    });
    github()
      .get("/app/installations")
      .query({ per_page: 100 })
      .reply(200, [installation(11, "octocat", "User"), installation(42, "django", "Organization")]);
    replyCharter(github());
    mockTracker([trackingIssue(1, "2026-11-01T10:00:00Z")], { now: "2026-11-03T10:00:00Z" });
    const steps = fakeSteps({ open: 0, changed: 0, problems: [] });
    await sweepAllInstallations(
      app.probot,
      {
        env: { SECURITY_TEAM_NOW: "2026-11-03T10:00:00Z" },
        self: async () => ({ appId: 123, login: APP_LOGIN }),
      },
      () => false,
      steps,
    );
    expect(recordedCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /app/installations?per_page=100",
      "GET /repos/django/.github/contents/.github%2Fsecurity-charter.yml",
      "POST /graphql",
      "POST /repos/django/security-reports/issues/1/comments",
    ]);
    expect(steps.pollAdvisories).toHaveBeenCalledOnce();
  });

  it("SWEEP_CRON=off starts no schedule and listens to no signal", async () => {
    const app = await createTestApp();
    const listeners = process.listenerCount("SIGTERM");
    const deps = { env: { SWEEP_CRON: "off" }, self: async () => ({ login: APP_LOGIN }) };
    expect(scheduleSweeps(app.probot, deps, async () => {})).toBeUndefined();
    expect(process.listenerCount("SIGTERM")).toBe(listeners);
  });

  it("an invalid SWEEP_CRON fails startup with the reason", async () => {
    await expect(createTestApp({ env: { SWEEP_CRON: "0 25 * * *" } })).rejects.toThrow(
      'cron "0 25 * * *": hour "25" is out of range (allowed 0-23)',
    );
  });
});
