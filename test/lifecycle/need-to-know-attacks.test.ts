import { afterEach, describe, expect, it } from "vitest";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";

/**
 * Need to know, tried the way a member who wants an outsider in (or someone out) would try it, through
 * the real command path: comments on a tracking issue, the app in its server, the in-memory GitHub.
 * Example charter: jacobtylerwalls, nessita (Django Software Foundation), shaib (Platonix), felixxm
 * (Independent), charettes (Zapier), newperson (Acme, onboarding).
 */

let world: World | undefined;
afterEach(async () => {
  expect(world?.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

/** A new report and its tracking issue; returns the issue number and the advisory's collaborators. */
async function report(w: World) {
  await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "Ibis SSRF" }));
  const [issue] = w.fake.issues(TRACKER);
  if (!issue) throw new Error("no tracking issue");
  const ghsa = /GHSA(?:-[0-9a-z]{4}){3}/i.exec(issue.body)?.[0] as string;
  return {
    number: issue.number,
    collaborators: () => w.fake.advisory(PROJECT, ghsa).collaborating_users.map((u) => u.toLowerCase()),
    handAdd: (login: string) => void w.fake.advisory(PROJECT, ghsa).collaborating_users.push(login),
  };
}

async function say(w: World, login: string, number: number, body: string): Promise<string> {
  await w.deliver(w.person(login).comment(TRACKER, number, body));
  const mine = w.fake.issue(TRACKER, number).comments.filter((c) => c.user.login === w.fake.botLogin);
  return mine.at(-1)?.body ?? "";
}

describe("/confirm by a colleague whose affiliation is spelt differently", () => {
  const INC = EXAMPLE_CHARTER_TEXT.replace(
    /(login: nessita\n(?:.*\n)*?\s+affiliation: )Django Software Foundation/,
    "$1Django Software Foundation, Inc.",
  );

  it("is refused: 'Django Software Foundation, Inc.' is the requester's own organisation", async () => {
    expect(INC).toContain("Django Software Foundation, Inc.");
    world = await createWorld({ charterText: INC });
    const r = await report(world);
    await say(world, "jacobtylerwalls", r.number, "/invite @outsider");
    const reply = await say(world, "nessita", r.number, "/confirm @outsider");
    expect(reply).toContain(
      "@nessita: refused: you share @jacobtylerwalls's affiliation (Django Software Foundation); a member of another organisation must confirm.",
    );
    expect(r.collaborators()).not.toContain("outsider");
  });

  it("control: a member of a truly different organisation confirms", async () => {
    world = await createWorld({ charterText: INC });
    const r = await report(world);
    await say(world, "jacobtylerwalls", r.number, "/invite @outsider");
    const reply = await say(world, "shaib", r.number, "/confirm @outsider");
    expect(reply).toContain("@outsider is now a collaborator on the advisory (need to know)");
    expect(r.collaborators()).toContain("outsider");
  });
});

describe("/confirm by a colleague whose affiliation is spelt with lookalike letters", () => {
  // "Django Software Foundation" with Cyrillic а, о and е: it looks the same.
  const LOOKALIKE = "Djаngо Sоftwаrе Fоundаtiоn";
  const DISGUISED = EXAMPLE_CHARTER_TEXT.replace(
    /(login: nessita\n(?:.*\n)*?\s+affiliation: )Django Software Foundation/,
    `$1${LOOKALIKE}`,
  );

  it("is refused: the lookalike spelling is the requester's own organisation", async () => {
    expect(DISGUISED).toContain(LOOKALIKE);
    world = await createWorld({ charterText: DISGUISED });
    const r = await report(world);
    await say(world, "jacobtylerwalls", r.number, "/invite @outsider");
    const reply = await say(world, "nessita", r.number, "/confirm @outsider");
    expect(reply).toContain(
      "@nessita: refused: you share @jacobtylerwalls's affiliation (Django Software Foundation); a member of another organisation must confirm.",
    );
    expect(r.collaborators()).not.toContain("outsider");
  });

  it("is refused when the spelling only adds an invisible letter (a Hangul filler)", async () => {
    const padded = EXAMPLE_CHARTER_TEXT.replace(
      /(login: nessita\n(?:.*\n)*?\s+affiliation: )Django Software Foundation/,
      "$1Django Software Foundation\u3164",
    );
    expect(padded).toContain("Foundation\u3164");
    world = await createWorld({ charterText: padded });
    const r = await report(world);
    await say(world, "jacobtylerwalls", r.number, "/invite @outsider");
    const reply = await say(world, "nessita", r.number, "/confirm @outsider");
    expect(reply).toContain("@nessita: refused: you share @jacobtylerwalls's affiliation");
    expect(r.collaborators()).not.toContain("outsider");
  });

  it("control: a member of a truly different organisation confirms", async () => {
    world = await createWorld({ charterText: DISGUISED });
    const r = await report(world);
    await say(world, "jacobtylerwalls", r.number, "/invite @outsider");
    const reply = await say(world, "shaib", r.number, "/confirm @outsider");
    expect(reply).toContain("@outsider is now a collaborator on the advisory (need to know)");
    expect(r.collaborators()).toContain("outsider");
  });
});

describe("/uninvite removes only people the app brought in, and only for a full member or the requester", () => {
  it("refuses to remove a collaborator someone added by hand, whoever asks", async () => {
    world = await createWorld();
    const r = await report(world);
    r.handAdd("co-maintainer");
    expect(await say(world, "newperson", r.number, "/uninvite @co-maintainer")).toContain(
      "@newperson: refused: @co-maintainer was not brought in here with `/invite` and `/confirm`",
    );
    expect(await say(world, "shaib", r.number, "/uninvite @co-maintainer")).toContain(
      "@shaib: refused: @co-maintainer was not brought in here",
    );
    expect(r.collaborators()).toContain("co-maintainer");
  });

  it("refuses an onboarding member ending someone else's invitation", async () => {
    world = await createWorld();
    const r = await report(world);
    await say(world, "shaib", r.number, "/invite @expert");
    await say(world, "felixxm", r.number, "/confirm @expert");
    expect(r.collaborators()).toContain("expert");
    expect(await say(world, "newperson", r.number, "/uninvite @expert")).toContain(
      "@newperson: refused: only a full member or @shaib, who asked for @expert, can end this invitation.",
    );
    expect(r.collaborators()).toContain("expert");
  });

  it("control: a full member removes the expert, and a hand-added collaborator stays", async () => {
    world = await createWorld();
    const r = await report(world);
    r.handAdd("co-maintainer");
    await say(world, "shaib", r.number, "/invite @expert");
    await say(world, "felixxm", r.number, "/confirm @expert");
    expect(await say(world, "charettes", r.number, "/uninvite @expert")).toContain(
      "@expert is no longer a collaborator on the advisory (by @charettes).",
    );
    expect(r.collaborators()).not.toContain("expert");
    expect(r.collaborators()).toContain("co-maintainer");
  });

  it("control: an onboarding member ends the invitation they asked for", async () => {
    world = await createWorld();
    const r = await report(world);
    await say(world, "newperson", r.number, "/invite @helper");
    await say(world, "felixxm", r.number, "/confirm @helper");
    expect(r.collaborators()).toContain("helper");
    expect(await say(world, "newperson", r.number, "/uninvite @helper")).toContain(
      "@helper is no longer a collaborator on the advisory (by @newperson).",
    );
    expect(r.collaborators()).not.toContain("helper");
  });
});
