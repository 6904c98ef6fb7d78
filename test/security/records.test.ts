import pino from "pino";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createExecutor } from "../../src/core/executor.js";
import { marker } from "../../src/core/markers.js";
import { invitations } from "../../src/lifecycle/need-to-know.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { github, recordedWrites } from "../helpers/github.js";
import { createWorld, PROJECT, TRACKER, type World } from "../reliability/world.js";

/**
 * Guarantee 8: people cannot forge the app's records. Each attack is made the way an outsider
 * would make it, against the in-memory GitHub and the real app; each has a positive control beside
 * it, so a check that refused everything could not pass.
 */

const WITH_ADVISORY_COMMENTS = EXAMPLE_CHARTER_TEXT.replace(
  "advisory_comments: false",
  "advisory_comments: true",
);
const DAY = 24 * 60 * 60 * 1000;

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  expect(world.fake.invalidRequests).toEqual([]);
  await world.stop();
  world = undefined;
});

/** A reporter's private report and its tracking issue. */
async function reported(charterText?: string) {
  world = await createWorld(charterText ? { charterText } : {});
  const w = world;
  await w.deliver(w.person("jane-reporter").reportVulnerability(PROJECT, { summary: "SQL injection" }));
  const issue = w.fake.issues(TRACKER)[0];
  const advisory = [...w.fake.repo(PROJECT).advisories.values()][0];
  if (!issue || !advisory) throw new Error("no tracking issue");
  return { w, number: issue.number, ghsa: advisory.ghsa_id };
}

const commentsOn = (w: World, number: number) => w.fake.issue(TRACKER, number).comments.map((c) => c.body);
const at = (w: World, days: number) =>
  w.at(new Date(Date.parse("2026-11-22T12:00:00Z") + days * DAY).toISOString());

/** What the reporter types into the advisory's conversation: every record the app keeps, forged. */
const FORGED = [
  "Any news on this?",
  "<!-- security-team:by:shaib -->",
  "<!-- security-team:ack -->",
  "<!-- security-team:reminder:acknowledge -->",
  "<!-- security-team:reminder:owner -->",
  "<!-- security-team:reminder:idle -->",
  "<!-- security-team:reminder:escalate -->",
  "<!-- security-team:invite:mallory:shaib -->",
  "<!-- security-team:invited:eve:shaib:felixxm -->",
  // Split over lines, and spelled with an entity: neither may come out as a live comment.
  "<!-",
  "- security-team:ack -->",
  "&lt;!-- security-team:ack -->",
].join("\n");

describe("markers in a reporter's advisory comment, mirrored into the tracking issue", () => {
  it("are shown as text, and the sweep still reminds the team: no forged acknowledgement or reminder", async () => {
    const { w, number, ghsa } = await reported(WITH_ADVISORY_COMMENTS);
    w.person("jane-reporter").commentOnAdvisory(PROJECT, ghsa, FORGED);
    await w.sweep(); // mirrors the comment
    const mirrored = commentsOn(w, number).find((b) => b.includes("Any news on this?")) ?? "";
    expect(mirrored).toContain("> <\u200d!-- security-team:by:shaib -->");
    expect(mirrored).toContain("> <\u200d!-\n> - security-team:ack -->");
    expect(mirrored).toMatch(/\n<!-- security-team:by:jane-reporter -->$/); // the app's own record
    expect(mirrored.match(/^<!--/gm)).toHaveLength(2); // advisory-comment:<id> and by:jane-reporter

    at(w, 3); // past acknowledge_within_days (2)
    await w.sweep();
    const reminder = commentsOn(w, number).find((b) =>
      b.includes("<!-- security-team:reminder:acknowledge -->"),
    );
    expect(reminder).toBeDefined();
  });

  it("positive control: a member's own words on the advisory do acknowledge the report", async () => {
    const { w, number, ghsa } = await reported(WITH_ADVISORY_COMMENTS);
    w.person("shaib").commentOnAdvisory(PROJECT, ghsa, "Confirmed, working on a patch.");
    await w.sweep();
    expect(commentsOn(w, number).some((b) => b.endsWith("<!-- security-team:by:shaib -->"))).toBe(true);
    at(w, 3);
    await w.sweep();
    expect(commentsOn(w, number).some((b) => b.includes("security-team:reminder:acknowledge"))).toBe(false);
  });

  it("cannot fake a pending or an effective invitation (invite:, invited:)", async () => {
    const { w, number, ghsa } = await reported(WITH_ADVISORY_COMMENTS);
    w.person("jane-reporter").commentOnAdvisory(PROJECT, ghsa, FORGED);
    await w.sweep();
    const appComments = w.fake
      .issue(TRACKER, number)
      .comments.filter((c) => c.user.login.endsWith("[bot]"))
      .map((c) => c.body);
    expect([...invitations(appComments).keys()]).toEqual([]);

    await w.deliver(w.person("felixxm").comment(TRACKER, number, "/confirm @mallory"));
    expect(commentsOn(w, number).at(-1)).toContain("there is no pending invitation for @mallory here");
    await w.deliver(w.person("shaib").comment(TRACKER, number, "/invite @eve"));
    expect(commentsOn(w, number).at(-1)).not.toContain("already has access");
    expect(w.fake.advisory(PROJECT, ghsa).collaborating_users).toEqual([]);
  });

  it("positive control: an invitation a member asks for and another confirms takes effect", async () => {
    const { w, number, ghsa } = await reported(WITH_ADVISORY_COMMENTS);
    await w.deliver(w.person("shaib").comment(TRACKER, number, "/invite @mallory"));
    await w.deliver(w.person("felixxm").comment(TRACKER, number, "/confirm @mallory"));
    expect(w.fake.advisory(PROJECT, ghsa).collaborating_users).toEqual(["mallory"]);
  });
});

describe("a forged draft-sent: marker on the advisory", () => {
  /** An onboarding member's draft, awaiting a full member's sign-off. */
  async function pendingDraft() {
    const r = await reported(WITH_ADVISORY_COMMENTS);
    await r.w.deliver(
      r.w.person("newperson").comment(TRACKER, r.number, "/draft Thanks, we can reproduce it."),
    );
    const draft = r.w.fake.issue(TRACKER, r.number).comments.find((c) => c.body.startsWith("/draft"));
    if (!draft) throw new Error("no draft");
    return { ...r, draftId: draft.id };
  }
  const posted = (w: World, ghsa: string) =>
    w.fake
      .advisory(PROJECT, ghsa)
      .comments.filter((c) => c.author.endsWith("[bot]"))
      .map((c) => c.body.split("\n")[0]);

  it("does not stop the approved draft from reaching the reporter", async () => {
    const { w, number, ghsa, draftId } = await pendingDraft();
    // Comment ids are sequential, so a reporter can cover the next ones with forged records.
    w.person("jane-reporter").commentOnAdvisory(
      PROJECT,
      ghsa,
      `<!-- security-team:draft-sent:${draftId} -->`,
    );
    await w.deliver(w.person("shaib").comment(TRACKER, number, "/approve"));
    expect(posted(w, ghsa)).toEqual(["Thanks, we can reproduce it."]);
    expect(commentsOn(w, number).at(-1)).toContain("The app posted it to");
  });

  it("positive control: the app's own record stops a second post of the same draft", async () => {
    const { w, number, ghsa } = await pendingDraft();
    await w.deliver(w.person("shaib").comment(TRACKER, number, "/approve"));
    await w.deliver(w.person("sarahboyce").comment(TRACKER, number, "/approve"));
    expect(posted(w, ghsa)).toEqual(["Thanks, we can reproduce it."]);
  });

  it("a draft carrying markers reaches the advisory with none of them live", async () => {
    const r = await reported(WITH_ADVISORY_COMMENTS);
    const forged = "/draft Fixed.\n<!-- security-team:draft-sent:1 -->";
    await r.w.deliver(r.w.person("shaib").comment(TRACKER, r.number, forged));
    const [sent] = r.w.fake.advisory(PROJECT, r.ghsa).comments.map((c) => c.body);
    expect(sent).toMatch(
      /^Fixed\.\n<\u200d!-- security-team:draft-sent:1 -->\n\n<!-- security-team:draft-sent:\d+ -->$/,
    );
  });
});

describe("sign-off on a close is decided by the app's marker, not by labels", () => {
  it("an onboarding member who removes the report label and then closes still needs sign-off", async () => {
    const { w, number } = await reported();
    const newperson = w.person("newperson");
    const unlabeled = newperson.removeLabel(TRACKER, number, "security-report");
    const closed = newperson.closeIssue(TRACKER, number, "not_planned");
    await w.deliver(unlabeled);
    await w.deliver(closed);
    const issue = w.fake.issue(TRACKER, number);
    expect(issue.state).toBe("open");
    expect(issue.labels).toEqual(expect.arrayContaining(["security-report", "needs-sign-off"]));
    const [restored, request] = commentsOn(w, number).slice(-2);
    expect(restored).toBe(
      "@newperson: the `security-report` label is back. It marks every tracking issue, so that the team finds each report; removing it changes nothing else (closing a report still needs the same sign-off).",
    );
    expect(request).toContain("@newperson closed this report as **not planned**, but is still onboarding");
  });

  it("positive control: a full member's close stands, and a label removed from another issue stays removed", async () => {
    const { w, number } = await reported();
    await w.deliver(w.person("shaib").closeIssue(TRACKER, number, "completed"));
    expect(w.fake.issue(TRACKER, number).state).toBe("closed");
    await w.deliver(w.person("shaib").openIssue(TRACKER, { title: "notes", labels: ["security-report"] }));
    const other = w.fake.issues(TRACKER).find((i) => i.title === "notes");
    if (!other) throw new Error("no issue");
    const before = w.fake.writes().length;
    await w.deliver(w.person("newperson").removeLabel(TRACKER, other.number, "security-report"));
    expect(w.fake.issue(TRACKER, other.number).labels).toEqual([]);
    expect(w.fake.writes().length).toBe(before);
  });

  it("the sweep opens no second tracking issue for a report whose issue lost its label, open or closed", async () => {
    const { w, number } = await reported();
    w.person("newperson").removeLabel(TRACKER, number, "security-report"); // the webhook was missed
    w.person("shaib").closeIssue(TRACKER, number, "completed");
    await w.sweep();
    expect(w.fake.issues(TRACKER)).toHaveLength(1);
  });

  it("the sweep puts back the label of an open tracking issue, once, saying why", async () => {
    const { w, number } = await reported();
    w.person("newperson").removeLabel(TRACKER, number, "security-report"); // the webhook was missed
    await w.sweep();
    await w.sweep();
    expect(w.fake.issues(TRACKER)).toHaveLength(1);
    expect(w.fake.issue(TRACKER, number).labels).toContain("security-report");
    const said = commentsOn(w, number).filter((b) => b.includes("label is back"));
    expect(said).toEqual([
      "The `security-report` label is back. It marks every tracking issue, so that the team finds each report; removing it changes nothing else (closing a report still needs the same sign-off).",
    ]);
  });
});

describe("the executor, behind every call site", () => {
  const octokit = () =>
    new ProbotOctokit({
      auth: "test",
      retry: { enabled: false },
      throttle: { enabled: false },
    } as never) as InstanceType<typeof ProbotOctokit>;
  const repo = { owner: "django", repo: "security-reports" };

  it("writes people's text that a call site forgot to make inert without a live comment, and keeps the app's marker", async () => {
    github().post("/repos/django/security-reports/issues/7/comments").reply(201, { id: 1 });
    const forgotten = "x <!-- security-team:ack -->\n<!-\n- security-team:ack -->";
    const body = `${forgotten}\n\n${marker("owner:shaib")}`;
    await createExecutor(octokit(), { log: pino({ level: "silent" }) }).apply([
      { kind: "issue.comment", repo, number: 7, body, why: "test" },
    ]);
    expect(recordedWrites()).toEqual([
      {
        method: "POST",
        path: "/repos/django/security-reports/issues/7/comments",
        body: {
          body: "x <\u200d!-- security-team:ack -->\n<\u200d!-\n- security-team:ack -->\n\n<!-- security-team:owner:shaib -->",
        },
      },
    ]);
  });
});
