import { afterEach, describe, expect, it } from "vitest";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { createWorld, PROJECT, TRACKER, WEBHOOK_SECRET, type World } from "./world.js";

/**
 * No leaks: the main flows (a report arrives, is claimed, closed by an onboarding member and signed
 * off; the sweep reminds about another) at the most verbose level an operator can ask for, and not
 * one log line carries a credential or report text, and no request outside the private tracker
 * carries report text.
 */

const SUMMARY = "Zebra-stripe RCE in the template loader via crafted include paths";
const DESCRIPTION =
  "Send {% include 'zebra-7f3c/../../etc/passwd' %} to any view that renders user templates";
const SECOND_SUMMARY = "Okapi timing oracle in password reset tokens";

let world: World | undefined;
afterEach(async () => {
  expect(world?.fake.invalidRequests).toEqual([]);
  await world?.stop();
  world = undefined;
});

async function runMainFlows(w: World): Promise<void> {
  const reporter = w.person("jane-reporter");
  await w.deliver(reporter.reportVulnerability(PROJECT, { summary: SUMMARY, description: DESCRIPTION }));
  await w.deliver(
    reporter.reportVulnerability(PROJECT, { summary: SECOND_SUMMARY, description: DESCRIPTION }),
  );
  const [first, second] = w.fake.issues(TRACKER);
  if (!first || !second) throw new Error("the reports got no tracking issues");
  await w.deliver(w.person("felixxm").addLabel(TRACKER, first.number, "claim"));
  await w.deliver(w.person("newperson").closeIssue(TRACKER, first.number));
  await w.deliver(w.person("shaib").comment(TRACKER, first.number, "/approve"));
  w.at("2026-12-01T12:00:00Z");
  await w.sweep();
  expect(w.fake.issue(TRACKER, first.number).state).toBe("closed");
  expect(
    w.fake
      .issue(TRACKER, second.number)
      .comments.map((c) => c.body)
      .join("\n"),
  ).toContain("security-team:reminder:acknowledge");
  // A handler that fails (GitHub refuses its comment): Probot logs the error, which must not carry the
  // event's payload (the issue body holds the summary) nor GitHub's response.
  w.fake.denyPermission("POST", new RegExp(`/issues/${second.number}/comments$`), "issues=write");
  const [failed] = await w.send(w.person("shaib").comment(TRACKER, second.number, "/claim"));
  expect(failed?.status).toBe(500);
}

function installationTokens(w: World): string[] {
  return [...(w.fake as unknown as { tokens: Set<string> }).tokens];
}

/** The key's base64 body lines: any one of them in a log is a leak. */
const keyLines = TEST_PRIVATE_KEY.split("\n").filter((l) => l.length > 0 && !l.startsWith("-----"));

describe("secrets and report text stay out of logs and public repositories", () => {
  it("logs none of them at LOG_LEVEL=trace, which the app lowers to info with a warning", async () => {
    world = await createWorld({ level: "trace" });
    await runMainFlows(world);

    const log = world.logs.join("\n");
    expect(world.logs.length).toBeGreaterThan(10);
    expect(log).toContain("which contain report contents: logging at info instead");
    for (const token of installationTokens(world)) expect(log).not.toContain(token);
    expect(installationTokens(world)).not.toEqual([]);
    for (const line of keyLines) expect(log).not.toContain(line);
    expect(log).not.toContain(WEBHOOK_SECRET);
    for (const text of [SUMMARY, DESCRIPTION, SECOND_SUMMARY, "Zebra-stripe", "zebra-7f3c", "Okapi"]) {
      expect(log).not.toContain(text);
    }
  });

  it("sends report text only to the private tracker", async () => {
    world = await createWorld();
    await runMainFlows(world);

    const carrying = world.fake.requests.filter((r) =>
      /Zebra-stripe|zebra-7f3c|Okapi/.test(JSON.stringify(r.body ?? "")),
    );
    expect(carrying.length).toBeGreaterThan(0);
    for (const r of carrying) expect(r.path).toMatch(/^\/repos\/django\/security-reports\//);
  });

  it("logs no payload whatever the environment says (the old LOG_REPORT_CONTENTS opt-in is gone)", async () => {
    world = await createWorld({ level: "debug", env: { LOG_REPORT_CONTENTS: "true" } });
    await world.deliver(
      world
        .person("jane-reporter")
        .reportVulnerability(PROJECT, { summary: SUMMARY, description: DESCRIPTION }),
    );
    const log = world.logs.join("\n");
    expect(log).toContain("logging at info instead");
    expect(log).not.toContain("Zebra-stripe");
  });
});
