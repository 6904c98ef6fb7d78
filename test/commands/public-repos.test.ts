import { afterEach, describe, expect, it } from "vitest";
import { CHARTER_REPO, createWorld, TRACKER, type World, writes } from "../reliability/world.js";

/**
 * Any GitHub user can comment on an issue in the public charter repository. The app answers there only
 * members, and only commands it has there: a stranger's slash comments get no reply and cost nothing
 * but reads, so the app can be neither made to talk nor used to tell who is on the team.
 */

let world: World | undefined;
afterEach(async () => {
  expect(world?.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

/** GETs, GraphQL queries, and the app's own token exchange. */
function isRead(r: { method: string; path: string; body?: unknown }): boolean {
  const query = String((r.body as { query?: string } | undefined)?.query ?? "");
  return (
    r.method === "GET" || (r.path === "/graphql" && /^\s*query\b/.test(query)) || r.path.startsWith("/app/")
  );
}

function replies(w: World, repo: string, number: number): string[] {
  return w.fake
    .issue(repo, number)
    .comments.filter((c) => c.user.login === w.fake.botLogin)
    .map((c) => c.body);
}

describe("slash commands in a repository that is not private", () => {
  it("a stranger's /claim, /help and /anything in the public charter repo get no reply", async () => {
    world = await createWorld();
    const issue = world.fake.addIssue(CHARTER_REPO, { title: "Typo in the charter", author: "mallory" });
    const mallory = world.person("mallory");
    const before = world.fake.requests.length;
    for (const body of ["/claim", "/help", "/anything", "/reaffirm"]) {
      await world.deliver(mallory.comment(CHARTER_REPO, issue.number, body));
    }
    expect(replies(world, CHARTER_REPO, issue.number)).toEqual([]);
    expect(writes(world)).toEqual([]);
    const made = world.fake.requests.slice(before);
    expect(made.filter((r) => !isRead(r))).toEqual([]);
  });

  it("a member gets no reply there: the charter repository has no commands", async () => {
    world = await createWorld();
    const issue = world.fake.addIssue(CHARTER_REPO, { title: "Question", author: "shaib" });
    const shaib = world.person("shaib");
    for (const body of ["/help", "/claim", "/reaffirm"]) {
      await world.deliver(shaib.comment(CHARTER_REPO, issue.number, body));
    }
    expect(replies(world, CHARTER_REPO, issue.number)).toEqual([]);
    // The control: the same member's `/reaffirm` in the tracker, where the command lives, is answered.
    const tracked = world.fake.addIssue(TRACKER, { title: "Question", author: "shaib" });
    await world.deliver(shaib.comment(TRACKER, tracked.number, "/reaffirm"));
    expect(replies(world, TRACKER, tracked.number)).toEqual([
      expect.stringContaining("@shaib: refused: `/reaffirm` works on the app's annual reaffirmation issue."),
    ]);
  });

  it("control: in the private tracker a stranger's /claim is refused with a reply", async () => {
    world = await createWorld();
    const issue = world.fake.addIssue(TRACKER, { title: "Not a tracking issue", author: "shaib" });
    await world.deliver(world.person("mallory").comment(TRACKER, issue.number, "/claim"));
    expect(replies(world, TRACKER, issue.number)).toEqual([
      expect.stringContaining("@mallory: refused. Only members of the security team"),
    ]);
  });
});
