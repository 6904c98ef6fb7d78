import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CHARTER_PATH } from "../../src/charter/source.js";
import type { WebhookEvent } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { CHARTER_REPO, createWorld, PROJECT, TEAM, TRACKER, type World, writes } from "./world.js";

/**
 * Hostile or confused senders: each is refused with a reply that says why, and nothing else changes
 * (the exact writes are asserted, not just their absence).
 */

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

async function start(): Promise<{ w: World; number: number }> {
  world = await createWorld();
  const w = world;
  await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" }));
  const issue = w.fake.issues(TRACKER)[0];
  if (!issue) throw new Error("no tracking issue");
  return { w, number: issue.number };
}

/** The app's reply to the last command, without its hidden marker. */
function lastReply(w: World, number: number): string {
  const body = w.fake.issue(TRACKER, number).comments.at(-1)?.body ?? "";
  return body.replace(/\n\n<!-- security-team:reply:\d+ -->$/, "");
}

/** A comment whose sender is a bot that took a member's login (or any other sender type). */
function asBot(events: WebhookEvent[]): WebhookEvent[] {
  return events.map((e) => ({
    ...e,
    payload: { ...e.payload, sender: { ...(e.payload.sender as object), type: "Bot" } },
  }));
}

const refusedMember = (login: string, command: string) =>
  `@${login}: refused. Only members of the security team listed in the charter can run \`/${command}\`.`;

describe("commands from people the charter does not allow", () => {
  const cases: { who: string; login: string; body: string; reply: string; bot?: boolean }[] = [
    { who: "a non-member", login: "mallory", body: "/claim", reply: refusedMember("mallory", "claim") },
    {
      who: "the advisory's reporter",
      login: "jane-reporter",
      body: "/handoff @jane-reporter",
      reply: refusedMember("jane-reporter", "handoff"),
    },
    { who: "a bot", login: "dependabot[bot]", body: "/ack", reply: refusedMember("dependabot[bot]", "ack") },
    {
      who: "a bot with a member's login",
      login: "shaib",
      body: "/claim",
      bot: true,
      reply: refusedMember("shaib", "claim"),
    },
    {
      who: "a renamed member (the new login is not in the charter)",
      login: "shai-berger",
      body: "/claim",
      reply: refusedMember("shai-berger", "claim"),
    },
    {
      who: "an onboarding member running /approve",
      login: "newperson",
      body: "/approve",
      reply:
        "@newperson: refused. `/approve` needs a full member; you are still onboarding. @sarahboyce @jacobtylerwalls can help.",
    },
    {
      who: "an onboarding member running /confirm",
      login: "newperson",
      body: "/confirm @outside-expert",
      reply:
        "@newperson: refused. `/confirm` needs a full member; you are still onboarding. @sarahboyce @jacobtylerwalls can help.",
    },
  ];

  it.each(cases)("$who: refused with a reply, nothing else written", async (c) => {
    const { w, number } = await start();
    const before = writes(w).length;
    const issueBefore = structuredClone({ ...w.fake.issue(TRACKER, number), comments: [] });
    const events = w.person(c.login).comment(TRACKER, number, c.body);
    await w.deliver(c.bot ? asBot(events) : events);

    expect(writes(w).slice(before)).toEqual([
      `POST /repos/django/security-reports/issues/${number}/comments`,
    ]);
    expect(lastReply(w, number)).toBe(c.reply);
    expect({ ...w.fake.issue(TRACKER, number), comments: [] }).toEqual({
      ...issueBefore,
      updated_at: expect.any(String),
    });
  });
});

describe("claim labels from people the charter does not allow", () => {
  it.each([
    ["a non-member", "mallory", false],
    ["the advisory's reporter", "jane-reporter", false],
    ["a bot with a member's login", "shaib", true],
  ] as const)("%s: the label comes off with a comment, nothing else", async (_who, login, bot) => {
    const { w, number } = await start();
    const owner = w.fake.issue(TRACKER, number).assignees;
    const before = writes(w).length;
    const events = w.person(login).addLabel(TRACKER, number, "claim");
    await w.deliver(bot ? asBot(events) : events);

    expect(writes(w).slice(before)).toEqual([
      `DELETE /repos/django/security-reports/issues/${number}/labels/claim`,
      `POST /repos/django/security-reports/issues/${number}/comments`,
    ]);
    expect(w.fake.issue(TRACKER, number).comments.at(-1)?.body).toBe(
      `@${login}: only members of the security team listed in the charter can own a report, so the \`claim\` label was removed. Nothing else changed.`,
    );
    expect(w.fake.issue(TRACKER, number).assignees).toEqual(owner);
    expect(w.fake.issue(TRACKER, number).labels).toEqual(["security-report"]);
  });
});

describe("logins in another case are the same member", () => {
  it("`ShaiB` claims as shaib", async () => {
    const { w, number } = await start();
    await w.deliver(w.person("ShaiB").comment(TRACKER, number, "/claim"));
    expect(w.fake.issue(TRACKER, number).assignees).toEqual(["shaib"]);
    await w.deliver(w.person("FELIXXM").addLabel(TRACKER, number, "claim"));
    expect(w.fake.issue(TRACKER, number).assignees).toEqual(["felixxm"]);
  });
});

describe("charter changes that must not take effect", () => {
  it("evaluates a charter PR from a fork without reading anything from the fork", async () => {
    world = await createWorld();
    const w = world;
    const withMallory = EXAMPLE_CHARTER_TEXT.replace(
      "\npolicy:",
      "  - login: mallory\n    affiliation: Evil\n    roles: [chair]\n    joined: 2026-11-21\n\npolicy:",
    );
    const [opened] = w.person("mallory").openPullWithFile(CHARTER_REPO, {
      branch: "patch-1",
      path: DEFAULT_CHARTER_PATH,
      text: withMallory,
      title: "Add me",
    });
    if (!opened) throw new Error("no event");
    const pull = opened.payload.pull_request as { head: Record<string, unknown> };
    pull.head = {
      ...pull.head,
      label: "mallory:patch-1",
      repo: {
        ...(pull.head.repo as object),
        full_name: "mallory/.github",
        owner: w.fake.userJson("mallory"),
      },
    };
    await w.deliver([opened]);

    const run = w.fake.checkRuns(CHARTER_REPO).find((r) => r.name === "charter");
    expect(run?.conclusion).toBe("failure");
    expect(w.fake.requests.filter((r) => r.path.includes("mallory/"))).toEqual([]);
    expect(writes(w)).toEqual(["POST /repos/django/.github/check-runs"]);
    expect(w.fake.teamMembers("django", TEAM).map((m) => m.login)).not.toContain("mallory");
  });

  it("a charter that removes everyone but the chair: the PR check fails and the merged sync refuses", async () => {
    world = await createWorld();
    const w = world;
    const team = w.fake.teamMembers("django", TEAM);
    const start = EXAMPLE_CHARTER_TEXT.indexOf("  - login: jacobtylerwalls");
    const end = EXAMPLE_CHARTER_TEXT.indexOf("\npolicy:");
    const gutted = EXAMPLE_CHARTER_TEXT.slice(0, start) + EXAMPLE_CHARTER_TEXT.slice(end + 1);
    const [opened] = w.person("sarahboyce").openPullWithFile(CHARTER_REPO, {
      branch: "purge",
      path: DEFAULT_CHARTER_PATH,
      text: gutted,
      title: "Purge",
    });
    await w.deliver([opened as WebhookEvent]);
    const number = opened?.payload.number as number;
    const check = w.fake.checkRuns(CHARTER_REPO).find((r) => r.name === "charter");
    expect(check?.conclusion).toBe("failure");

    // Merged anyway (an admin bypassing protection): the sync's valve holds, nothing is removed.
    await w.deliver(w.person("sarahboyce").merge(CHARTER_REPO, number));
    expect(w.fake.teamMembers("django", TEAM)).toEqual(team);
    const refusal = w.fake
      .checkRuns(CHARTER_REPO)
      .filter((r) => r.name === "team-sync")
      .at(-1);
    expect(refusal?.conclusion).toBe("failure");
    expect(refusal?.output.summary).toMatch(/max_removals|removals/);
    expect(writes(w).filter((x) => x.includes("/teams/"))).toEqual([]);

    // And the sweep (the other way a sync runs) refuses the same way.
    const summary = await w.sweep();
    expect(summary.team?.status).toBe("refused");
    expect(w.fake.teamMembers("django", TEAM)).toEqual(team);
  });
});
