import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_CHARTER_BYTES } from "../../src/charter/loader.js";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import type { WebhookEvent } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, PROJECT, TRACKER, type World, writes } from "./world.js";

/** Bad input: payloads missing fields, a charter that does not parse, a huge charter. */

let world: World | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeEach(() => {
  unhandled.splice(0);
  process.on("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

type Patch = (payload: Record<string, unknown>) => void;

/** Log lines at warn or above, as `msg` plus the fields that say where. */
function problems(w: World): string[] {
  return w.logs
    .map((l) => JSON.parse(l) as { level: number; msg: string; handler?: string; err?: { message: string } })
    .filter((l) => l.level >= 40)
    .map((l) => [l.msg, l.handler, l.err?.message].filter(Boolean).join(" | "));
}

describe("payloads with unexpected shapes", () => {
  const shapes: {
    what: string;
    event: (w: World, n: number) => WebhookEvent[];
    patch: Patch;
    log: string[];
  }[] = [
    {
      what: "a command without `sender`",
      event: (w, n) => w.person("shaib").comment(TRACKER, n, "/claim"),
      patch: (p) => delete p.sender,
      log: ["event without sender: ignored"],
    },
    {
      what: "a claim label without `sender`",
      event: (w, n) => w.person("shaib").addLabel(TRACKER, n, "claim"),
      patch: (p) => delete p.sender,
      log: ["event without sender: ignored"],
    },
    {
      what: "a comment whose `body` is null",
      event: (w, n) => w.person("shaib").comment(TRACKER, n, "/claim"),
      patch: (p) => {
        (p.comment as Record<string, unknown>).body = null;
      },
      log: [], // not a command: nothing to say
    },
    {
      what: "a command without `installation`",
      event: (w, n) => w.person("shaib").comment(TRACKER, n, "/claim"),
      patch: (p) => delete p.installation,
      log: ["event without installation: ignored"],
    },
    {
      what: "a close without `installation`",
      event: (w, n) => w.person("newperson").closeIssue(TRACKER, n),
      patch: (p) => delete p.installation,
      log: ["event without installation: ignored"],
    },
  ];

  it.each(shapes)("$what: no crash, a log line, nothing written", async ({ event, patch, log }) => {
    world = await createWorld();
    const w = world;
    await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" }));
    const number = w.fake.issues(TRACKER)[0]?.number ?? 0;
    const before = writes(w).length;
    const logged = w.logs.length;
    const events = event(w, number);
    for (const e of events) patch(e.payload);

    const [delivery] = await w.send(events);
    expect(writes(w).slice(before)).toEqual([]);
    expect(delivery?.status).toBe(200);
    expect(problems({ ...w, logs: w.logs.slice(logged) })).toEqual(log);
    // The app still works afterwards.
    await w.deliver(w.person("shaib").comment(TRACKER, number, "/ack"));
    expect(writes(w).slice(before).length).toBeGreaterThan(0);
  });
});

describe("payloads with fields missing that the app reads fresh anyway", () => {
  it("a claim label on an issue without `assignees` claims it (the issue is read from GitHub)", async () => {
    world = await createWorld();
    const w = world;
    await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" }));
    const number = w.fake.issues(TRACKER)[0]?.number ?? 0;
    const events = w.person("shaib").addLabel(TRACKER, number, "claim");
    for (const e of events) delete (e.payload.issue as Record<string, unknown>).assignees;
    await w.deliver(events);
    expect(w.fake.issue(TRACKER, number).assignees).toEqual(["shaib"]);
  });
});

describe("a charter that does not load", () => {
  const broken = `${EXAMPLE_CHARTER_TEXT}\n  - login: [unclosed\n`;

  it("malformed YAML on the default branch: sync, commands and sweep change nothing, and say why", async () => {
    world = await createWorld({ charterText: broken });
    const w = world;
    const team = w.fake.teamMembers("django", "django-security-team");
    w.fake.addAdvisory(PROJECT, { summary: "found by the poll", author: "jane-reporter" });
    const issue = w.fake.addIssue(TRACKER, { title: "a tracking issue", author: w.fake.botLogin });

    // A push of the broken charter: no team change; the `charter` check on the commit says why.
    w.fake.setFile(CHARTER_REPO, DEFAULT_CHARTER_PATH, broken);
    const sha = w.fake.repo(CHARTER_REPO).branches.get("main") ?? "";
    const push: WebhookEvent = {
      name: "push",
      payload: {
        ...(await import("../helpers/payloads.js")).example("push"),
        ...(await import("./events.js")).around(w, CHARTER_REPO, "sarahboyce"),
        ref: "refs/heads/main",
        after: sha,
        deleted: false,
        commits: [{ id: sha, added: [], removed: [], modified: [DEFAULT_CHARTER_PATH] }],
      },
    };
    await w.deliver([push]);
    const check = w.fake.checkRuns(CHARTER_REPO).find((r) => r.name === "team-sync");
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.summary ?? "").toMatch(/line \d+|:\d+:\d+/);

    // Commands: in the public charter repo (where no one can be told from a stranger without the
    // charter) and in the tracker (which only the charter names) ignored with a log line.
    const nomination = w.fake.addIssue(CHARTER_REPO, { title: "a nomination", author: "sarahboyce" });
    await w.deliver(w.person("shaib").comment(CHARTER_REPO, nomination.number, "/reaffirm"));
    expect(w.fake.issue(CHARTER_REPO, nomination.number).comments.at(-1)?.body).toBe("/reaffirm");
    await w.deliver(w.person("shaib").comment(TRACKER, issue.number, "/claim"));
    expect(w.fake.issue(TRACKER, issue.number).comments.at(-1)?.body).toBe("/claim");
    expect(w.logs.join("\n")).toContain("the charter is missing or invalid: command ignored");
    expect(w.fake.issue(TRACKER, issue.number).assignees).toEqual([]);

    // The sweep: nothing done, the errors in its summary and the log.
    const summary = await w.sweep();
    expect(summary.charter).toBe("invalid");
    expect(summary.charterErrors?.[0]).toMatch(/:\d+:\d+: /);
    expect(w.logs.join("\n")).toContain("sweep: charter not usable; nothing done");

    expect(w.fake.teamMembers("django", "django-security-team")).toEqual(team);
    expect(w.fake.issues(TRACKER)).toHaveLength(1);
    expect(writes(w)).toEqual(["POST /repos/django/.github/check-runs"]);
  });

  it("a charter over 1 MiB on the default branch is refused before parsing: the sweep changes nothing", async () => {
    const huge = `${EXAMPLE_CHARTER_TEXT}\n${"# padding\n".repeat(MAX_CHARTER_BYTES / 10 + 1)}`;
    world = await createWorld({ charterText: huge });
    const w = world;
    const team = w.fake.teamMembers("django", "django-security-team");
    const summary = await w.sweep();
    expect(summary.charter).toBe("invalid");
    expect(summary.charterErrors?.join("\n")).toMatch(/1 MiB|too large|bytes/i);
    expect(w.fake.teamMembers("django", "django-security-team")).toEqual(team);
    expect(writes(w)).toEqual([]);
  });
});
