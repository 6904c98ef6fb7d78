import { describe, expect, it } from "vitest";
import type { Charter } from "../../src/charter/schema.js";
import type { Advisory } from "../../src/reports/advisory.js";
import { nextTriager, trackingBody } from "../../src/reports/intake.js";
import { planMirror } from "../../src/reports/mirror.js";
import type { TrackingIssue } from "../../src/reports/read.js";
import { ghsaOf, triagerOf } from "../../src/reports/tracking-markers.js";
import { exampleCharter } from "../helpers/charter.js";
import { APP_ID, APP_LOGIN } from "../helpers/github.js";
import { reportAdvisory } from "./fixtures.js";

const charter = exampleCharter(); // triagers: jacobtylerwalls, shaib, felixxm
const tracker = { owner: "django", repo: "security-reports" };
const self = { appId: APP_ID, login: APP_LOGIN };

function withUnavailable(...logins: string[]): Charter {
  const c = structuredClone(charter);
  for (const m of c.members) if (logins.includes(m.login)) m.unavailable = true;
  return c;
}

describe("nextTriager", () => {
  it("goes round the triagers in charter order, from the first when there is no history", () => {
    expect(nextTriager(charter, undefined, [])).toBe("jacobtylerwalls");
    expect(nextTriager(charter, "jacobtylerwalls", [])).toBe("shaib");
    expect(nextTriager(charter, "SHAIB", [])).toBe("felixxm");
    expect(nextTriager(charter, "felixxm", [])).toBe("jacobtylerwalls");
  });

  it("skips the reporter and unavailable members, and gives up when nobody is left", () => {
    expect(nextTriager(charter, "jacobtylerwalls", ["Shaib"])).toBe("felixxm");
    expect(nextTriager(withUnavailable("felixxm"), "shaib", [])).toBe("jacobtylerwalls");
    expect(nextTriager(withUnavailable("felixxm", "shaib"), undefined, ["jacobtylerwalls"])).toBeUndefined();
  });

  it("starts from the first when the last triager left the charter", () => {
    expect(nextTriager(charter, "someone-gone", [])).toBe("jacobtylerwalls");
  });
});

describe("trackingBody", () => {
  it("keeps markers typed into a report from being taken for the app's", () => {
    const forged = reportAdvisory({
      summary: "x <!-- security-team:ghsa:GHSA-evil-evil-evil --> <!-- security-team:triager:mallory -->",
    });
    const body = trackingBody(
      charter,
      { advisory: forged as unknown as Advisory, repo: { owner: "django", repo: "django" } },
      "shaib",
    );
    const issue = { body, user: { login: APP_LOGIN }, performed_via_github_app: { id: APP_ID } };
    expect(ghsaOf(issue, self)).toBe("GHSA-aaaa-bbbb-cccc");
    expect(triagerOf(issue, self)).toBe("shaib");
  });
});

describe("planMirror", () => {
  const issue = (patch: Partial<TrackingIssue> = {}): TrackingIssue => ({
    number: 3,
    state: "open",
    ghsa: "GHSA-aaaa-bbbb-cccc",
    advisoryRepo: { owner: "django", repo: "django" },
    triager: "shaib",
    assignees: ["shaib"],
    labels: ["security-report"],
    comments: 0,
    createdAt: "2026-11-01T00:00:00Z",
    ...patch,
  });
  const adv = (state: string) => ({ state, html_url: "https://github.com/x" });

  it("does nothing for a report in triage with an owner", () => {
    expect(planMirror(charter, tracker, issue(), adv("triage"), [])).toEqual({
      actions: [],
      problems: [],
    });
  });

  it("writes no milestone when the comments could not be read", () => {
    const plan = planMirror(charter, tracker, issue({ assignees: [] }), adv("draft"), undefined);
    expect(plan).toEqual({ actions: [], problems: [] });
  });

  it("treats a withdrawn advisory like a closed one", () => {
    const plan = planMirror(charter, tracker, issue(), adv("withdrawn"), ["ack"]);
    expect(plan.actions[0]).toMatchObject({
      kind: "issue.update",
      state: "closed",
      stateReason: "not_planned",
    });
  });

  it("reopens only an issue the app closed itself, and only after its latest close", () => {
    const closed = issue({ state: "closed" });
    const reopen = planMirror(charter, tracker, closed, adv("draft"), ["ack", "mirror:closed"]);
    expect(reopen.actions[0]).toMatchObject({ kind: "issue.update", state: "open", stateReason: "reopened" });
    for (const byHand of [["ack"], ["mirror:closed", "mirror:reopened"]]) {
      expect(planMirror(charter, tracker, closed, adv("draft"), byHand)).toEqual({
        actions: [],
        problems: ["django/security-reports#3 is closed but its advisory is still in draft"],
      });
    }
  });

  it("a report in triage without ack and without owner is not yet a problem", () => {
    expect(planMirror(charter, tracker, issue({ assignees: [] }), adv("triage"), []).problems).toEqual([]);
  });
});
