import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMember, isChair } from "../../src/charter/facts.js";
import type { WebhookEvent } from "../fake-github/index.js";
import { createWorld, PROJECT, TRACKER, type World } from "./world.js";

/**
 * Random sequences of claims (label and `/claim`), `/release` and `/handoff @x` from members,
 * non-members, bots and odd-cased logins, through the real app and the in-memory GitHub: after every
 * step the report has at most one owner, the owner is a member (spelled as in the charter), the claim
 * label never stays on, and the owner is the one the charter's rules give.
 */

const SENDERS = [
  "sarahboyce",
  "shaib",
  "felixxm",
  "newperson",
  "FelixXM",
  "mallory",
  "jane-reporter",
  "renovate[bot]",
];
const TARGETS = ["shaib", "charettes", "Nessita", "mallory", "ghost"];

type Step =
  | { kind: "label" | "claim" | "release"; sender: string }
  | { kind: "handoff"; sender: string; target: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("label" as const, "claim" as const, "release" as const),
    sender: fc.constantFrom(...SENDERS),
  }),
  fc.record({
    kind: fc.constant("handoff" as const),
    sender: fc.constantFrom(...SENDERS),
    target: fc.constantFrom(...TARGETS),
  }),
);

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
});

/** The owner the charter's rules give after `step` (the model). */
function expectedOwner(owner: string | undefined, step: Step): string | undefined {
  const charter = world.charter;
  const sender = findMember(charter, step.sender);
  if (!sender || step.sender.endsWith("[bot]")) return owner; // refused
  const mayReassign = isChair(sender) || !owner || owner === sender.login;
  switch (step.kind) {
    case "label":
    case "claim":
      return sender.login;
    case "release":
      return mayReassign ? undefined : owner;
    case "handoff": {
      const target = findMember(charter, step.target);
      return target && mayReassign ? target.login : owner;
    }
  }
}

function events(number: number, step: Step): WebhookEvent[] {
  const person = world.person(step.sender);
  if (step.kind === "label") return person.addLabel(TRACKER, number, "claim");
  const body = step.kind === "handoff" ? `/handoff @${step.target}` : `/${step.kind}`;
  return person.comment(TRACKER, number, body);
}

describe("ownership under random claims, releases and hand-offs", () => {
  it("always has at most one owner, a member, the one the rules give", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        await world.deliver(world.person("jane-reporter").reportVulnerability(PROJECT, { summary: "r" }));
        const issue = world.fake.issues(TRACKER).at(-1);
        if (!issue) throw new Error("no tracking issue");
        let owner: string | undefined = issue.assignees[0];
        for (const step of steps) {
          await world.deliver(events(issue.number, step));
          owner = expectedOwner(owner, step);
          const now = world.fake.issue(TRACKER, issue.number);
          expect(now.assignees.length).toBeLessThanOrEqual(1);
          for (const a of now.assignees) expect(findMember(world.charter, a)?.login).toBe(a);
          expect(now.assignees).toEqual(owner ? [owner] : []);
          expect(now.labels).not.toContain("claim");
        }
      }),
      { numRuns: 12 },
    );
  });
});
