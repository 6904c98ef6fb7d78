import { describe, expect, it } from "vitest";
import { advisoryKey, createKeyedMutex, eventKey, issueKey, teamKey } from "../../src/core/serialize.js";
import { advisoryPayload, INSTALLATION_ID, payload } from "../helpers/payloads.js";

/** A task that records its start and end around a wait of `ms` (real timers: interleaving matters). */
function step(log: string[], name: string, ms: number, fail = false) {
  return async () => {
    log.push(`${name} start`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    log.push(`${name} end`);
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
}

describe("the keyed mutex", () => {
  it("runs tasks on one key one after another, in arrival order", async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const results = await Promise.all([
      mutex.run("pr#2", step(log, "a", 20)),
      mutex.run("pr#2", step(log, "b", 1)),
      mutex.run("pr#2", step(log, "c", 5)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("runs tasks on different keys at the same time", async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    await Promise.all([mutex.run("pr#2", step(log, "a", 20)), mutex.run("pr#3", step(log, "b", 1))]);
    expect(log).toEqual(["a start", "b start", "b end", "a end"]);
  });

  it("releases the key when a task throws: the error reaches its caller, the next task runs", async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const failing = mutex.run("pr#2", step(log, "a", 5, true));
    const next = mutex.run("pr#2", step(log, "b", 1));
    await expect(failing).rejects.toThrow("a failed");
    await expect(next).resolves.toBe("b");
    expect(log).toEqual(["a start", "a end", "b start", "b end"]);
  });

  it("forgets a key once its queue is empty, after success and after failure", async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const first = mutex.run("pr#2", step(log, "a", 5));
    const second = mutex.run("pr#2", step(log, "b", 5, true));
    const other = mutex.run("pr#3", step(log, "c", 1));
    expect(mutex.size()).toBe(2);
    await first;
    expect(mutex.size()).toBe(1); // pr#3 done, pr#2 still has b
    await expect(second).rejects.toThrow();
    await other;
    expect(mutex.size()).toBe(0);
  });

  it("takes several keys in sorted order, once each, and waits for each one's holder", async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const held = mutex.run("k2", step(log, "holder", 20));
    const all = mutex.runAll(["k3", "k2", "k1", "k3"], step(log, "all", 1));
    // Taking k1 first, then waiting on k2, the multi-key task holds k1: a task on k1 waits for it.
    const later = mutex.run("k1", step(log, "later", 1));
    await Promise.all([held, all, later]);
    expect(log).toEqual(["holder start", "holder end", "all start", "all end", "later start", "later end"]);
    expect(mutex.size()).toBe(0);
  });

  it("runs a task that takes no keys at once", async () => {
    const mutex = createKeyedMutex();
    await expect(mutex.runAll([], async () => "done")).resolves.toBe("done");
    expect(mutex.size()).toBe(0);
  });
});

describe("eventKey", () => {
  const inst = INSTALLATION_ID;

  it("keys issues, comments, pull requests and reviews by repository and number (shared numbering)", () => {
    expect(eventKey("issues", payload("issues", "labeled", { issue: { number: 7 } }, "Tracker"))).toBe(
      `${inst}:django/tracker#7`,
    );
    expect(
      eventKey("issue_comment", payload("issue_comment", "created", { issue: { number: 7 } }, "tracker")),
    ).toBe(`${inst}:django/tracker#7`);
    expect(
      eventKey("pull_request", payload("pull_request", "opened", { pull_request: { number: 2 } }, ".github")),
    ).toBe(`${inst}:django/.github#2`);
    expect(
      eventKey(
        "pull_request_review",
        payload("pull_request_review", "submitted", { pull_request: { number: 2 } }, ".github"),
      ),
    ).toBe(`${inst}:django/.github#2`);
  });

  it("keys a pull request reached from another event (a charter push judging it again) as its own events do", () => {
    const opened = payload("pull_request", "opened", { pull_request: { number: 2 } }, ".github");
    expect(issueKey(inst, { owner: "Django", repo: ".GitHub" }, 2)).toBe(eventKey("pull_request", opened));
  });

  it("keys a check run by its one pull request, else by its head commit", () => {
    const run = (pulls: { number: number }[]) =>
      payload(
        "check_run",
        "rerequested",
        { check_run: { head_sha: "abc123", pull_requests: pulls } },
        ".github",
      );
    expect(eventKey("check_run", run([{ number: 2 }]))).toBe(`${inst}:django/.github#2`);
    expect(eventKey("check_run", run([]))).toBe(`${inst}:django/.github@abc123`);
    expect(eventKey("check_run", run([{ number: 2 }, { number: 3 }]))).toBe(`${inst}:django/.github@abc123`);
    expect(
      eventKey(
        "check_suite",
        payload(
          "check_suite",
          "completed",
          { check_suite: { head_sha: "def456", pull_requests: [] } },
          ".github",
        ),
      ),
    ).toBe(`${inst}:django/.github@def456`);
  });

  it("keys an advisory by org and GHSA id, as the sweep's poll does", () => {
    const event = advisoryPayload("reported", { ghsa_id: "ghsa-abcd-efgh-ijkl" });
    expect(eventKey("repository_advisory", event)).toBe(advisoryKey("Django", "GHSA-ABCD-EFGH-IJKL"));
    expect(advisoryKey("Django", "ghsa-abcd-efgh-ijkl")).toBe("advisory:django/GHSA-ABCD-EFGH-IJKL");
  });

  it("gives every event that changes the team's membership one key per org, the one the sweep and CLI take", () => {
    const installation = { id: inst, account: { login: "Django" } };
    const keys = [
      eventKey("push", payload("push", undefined, {}, ".github")),
      eventKey("membership", payload("membership", "added", {}, ".github")),
      eventKey("installation", { action: "created", installation }),
      eventKey("installation_repositories", { action: "added", installation }),
    ];
    expect(keys).toEqual(Array(4).fill(teamKey("django")));
    expect(teamKey("Django")).toBe("team:django");
  });

  it("serializes nothing for events without an installation, an object, or that the app does not key", () => {
    const issue = payload("issues", "opened", {}, "tracker") as Record<string, unknown>;
    expect(eventKey("issues", { ...issue, installation: undefined })).toBeUndefined();
    expect(eventKey("issues", { ...issue, issue: undefined })).toBeUndefined();
    expect(eventKey("issues", { ...issue, repository: undefined })).toBeUndefined();
    expect(eventKey("star", { action: "created", installation: { id: inst } })).toBeUndefined();
    expect(
      eventKey("repository_advisory", { action: "reported", installation: { id: inst } }),
    ).toBeUndefined();
  });
});
