import { afterEach, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../fake-github/index.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import {
  dismissReview,
  installationCreated,
  installationRepositoriesAdded,
  publish,
  pullEvent,
  rerequest,
} from "./events.js";
import { CHARTER_REPO, createWorld, PROJECT, TEAM, TRACKER, type World, writes } from "./world.js";

/**
 * Replays: GitHub redelivers (the same delivery id) after a timeout, and an operator can press
 * "Redeliver". Every event the app handles, delivered twice: the second delivery writes nothing.
 */

let world: World | undefined;
afterEach(async () => {
  expect(world?.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

const CHARTER = ".github/security-charter.yml";
const withNominee = EXAMPLE_CHARTER_TEXT.replace(
  "\npolicy:",
  "  - login: carltongibson\n    affiliation: Noumenal\n    joined: 2026-12-08\n\npolicy:",
);

/** A report with its tracking issue; returns the issue number and GHSA id. */
async function report(w: World): Promise<{ number: number; ghsa: string }> {
  const events = w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "a report" });
  await w.deliver(events);
  const ghsa = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
  const issue = w.fake.issues(TRACKER).find((i) => i.body.includes(ghsa));
  if (!issue) throw new Error("no tracking issue");
  return { number: issue.number, ghsa };
}

async function charterPull(w: World): Promise<number> {
  const [opened] = w.person("sarahboyce").openPullWithFile(CHARTER_REPO, {
    branch: "nominate",
    path: CHARTER,
    text: withNominee,
    title: "Nominate carltongibson",
  });
  await w.deliver([opened as WebhookEvent]);
  return (opened?.payload.number as number) ?? 0;
}

interface Row {
  event: string;
  /** Prior steps (delivered), then the events under test (not yet delivered). */
  given(w: World): Promise<WebhookEvent[]>;
  /** The first delivery changes something (default true). */
  writes?: boolean;
}

const command = (login: string, body: string, before?: (w: World, n: number) => Promise<void>) => ({
  async given(w: World) {
    const { number } = await report(w);
    await before?.(w, number);
    return w.person(login).comment(TRACKER, number, body);
  },
});

const rows: Row[] = [
  {
    event: "repository_advisory.reported",
    given: async (w) => w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "x" }),
  },
  {
    event: "repository_advisory.published",
    async given(w) {
      const { ghsa } = await report(w);
      return [publish(w, PROJECT, ghsa)];
    },
  },
  {
    event: "issues.labeled (claim)",
    async given(w) {
      const { number } = await report(w);
      return w.person("felixxm").addLabel(TRACKER, number, "claim");
    },
  },
  {
    event: "issues.labeled (claim by a non-member)",
    async given(w) {
      const { number } = await report(w);
      return w.person("mallory").addLabel(TRACKER, number, "claim");
    },
  },
  {
    event: "issues.closed (by an onboarding member)",
    async given(w) {
      const { number } = await report(w);
      return w.person("newperson").closeIssue(TRACKER, number);
    },
  },
  { event: "issue_comment.created /ack", ...command("shaib", "/ack") },
  { event: "issue_comment.created /claim", ...command("felixxm", "/claim") },
  {
    event: "issue_comment.created /release",
    ...command(
      "felixxm",
      "/release",
      async (w, n) => void (await w.deliver(w.person("felixxm").comment(TRACKER, n, "/claim"))),
    ),
  },
  { event: "issue_comment.created /handoff", ...command("felixxm", "/handoff @shaib") },
  {
    event: "issue_comment.created /draft",
    ...command("newperson", "/draft Thanks, we are looking into it."),
  },
  {
    event: "issue_comment.created /approve",
    ...command(
      "shaib",
      "/approve",
      async (w, n) => void (await w.deliver(w.person("newperson").closeIssue(TRACKER, n))),
    ),
  },
  { event: "issue_comment.created /invite", ...command("felixxm", "/invite @outside-expert") },
  {
    event: "issue_comment.created /confirm",
    ...command(
      "shaib",
      "/confirm @outside-expert",
      async (w, n) =>
        void (await w.deliver(w.person("felixxm").comment(TRACKER, n, "/invite @outside-expert"))),
    ),
  },
  { event: "issue_comment.created /help", ...command("shaib", "/help") },
  { event: "issue_comment.created (unknown command)", ...command("shaib", "/frobnicate") },
  { event: "issue_comment.created (non-member)", ...command("mallory", "/claim") },
  {
    event: "pull_request.opened (charter)",
    given: async (w) =>
      w
        .person("sarahboyce")
        .openPullWithFile(CHARTER_REPO, { branch: "n", path: CHARTER, text: withNominee, title: "Nominate" }),
  },
  ...(["synchronize", "reopened", "edited"] as const).map((action) => ({
    event: `pull_request.${action} (charter)`,
    writes: false,
    async given(w: World) {
      const number = await charterPull(w);
      return [pullEvent(w, CHARTER_REPO, number, action, "sarahboyce")];
    },
  })),
  {
    event: "pull_request_review.submitted (charter)",
    async given(w) {
      const number = await charterPull(w);
      return w.person("shaib").review(CHARTER_REPO, number, "CHANGES_REQUESTED", "Not yet.");
    },
  },
  {
    event: "pull_request_review.dismissed (charter)",
    async given(w) {
      const number = await charterPull(w);
      const [review] = w.person("shaib").review(CHARTER_REPO, number, "CHANGES_REQUESTED", "Not yet.");
      await w.deliver([review as WebhookEvent]);
      const id = (review?.payload.review as { id: number }).id;
      return [dismissReview(w, CHARTER_REPO, number, id, "sarahboyce")];
    },
  },
  {
    event: "check_run.rerequested (charter)",
    writes: false,
    async given(w) {
      await charterPull(w);
      return [rerequest(w, CHARTER_REPO, "charter", "sarahboyce")];
    },
  },
  {
    event: "pull_request.opened (tracker, onboarding author)",
    async given(w) {
      return w
        .person("newperson")
        .openPullWithFile(TRACKER, { branch: "fix", path: "fix.patch", text: "diff", title: "Fix" });
    },
  },
  {
    event: "push (charter merged)",
    async given(w) {
      const number = await charterPull(w);
      const [, push] = w.person("sarahboyce").merge(CHARTER_REPO, number);
      return [push as WebhookEvent];
    },
  },
  {
    event: "installation.created",
    async given(w) {
      w.fake.team("django", TEAM).members.delete("charettes");
      return [installationCreated(w)];
    },
  },
  {
    event: "installation_repositories.added",
    async given(w) {
      w.fake.team("django", TEAM).members.delete("charettes");
      return [installationRepositoriesAdded(w)];
    },
  },
  {
    event: "membership.added (by hand)",
    given: async (w) => w.person("sarahboyce").addToTeam("django", TEAM, "mallory"),
  },
  {
    event: "membership.removed (by hand)",
    given: async (w) => w.person("sarahboyce").removeFromTeam("django", TEAM, "shaib"),
  },
];

describe("every handled event, delivered twice", () => {
  it.each(rows)("$event: the redelivery writes nothing", async (row) => {
    world = await createWorld();
    const w = world;
    const events = await row.given(w);
    const before = writes(w).length;
    const deliveries = await w.deliver(events);
    const first = writes(w).slice(before);
    if (row.writes ?? true) expect(first, "the first delivery should change something").not.toEqual([]);
    const issues = w.fake.issues(TRACKER).length;
    const comments = w.fake.issues(TRACKER).flatMap((i) => i.comments).length;

    const again = await w.redeliver(events, deliveries);
    expect(again.map((d) => d.status)).toEqual(events.map(() => 200));
    expect(writes(w).slice(before + first.length)).toEqual([]);
    expect(w.fake.issues(TRACKER)).toHaveLength(issues);
    expect(w.fake.issues(TRACKER).flatMap((i) => i.comments)).toHaveLength(comments);
  });
});
