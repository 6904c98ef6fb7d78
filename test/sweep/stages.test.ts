import { describe, expect, it } from "vitest";
import { marker } from "../../src/core/markers.js";
import {
  dueStages,
  type ReportComment,
  type ReportSnapshot,
  reminderComment,
  staleActions,
} from "../../src/sweep/stages.js";
import { exampleCharter } from "../helpers/charter.js";

const charter = exampleCharter();
const ARRIVED = "2026-11-01T10:00:00Z";
const APP = "security-team[bot]";
const repo = { owner: "django", repo: "security-reports" };

const at = (iso: string) => new Date(iso);
/** `ARRIVED` plus days (fractions allowed), as an instant. */
const day = (days: number) => new Date(at(ARRIVED).getTime() + days * 86_400_000);

function appComment(when: Date, ...keys: string[]): ReportComment {
  return { author: APP, createdAt: when, own: true, markers: keys };
}
function personComment(login: string, when: Date): ReportComment {
  return { author: login, createdAt: when, own: false, markers: [] };
}
function report(patch: Partial<ReportSnapshot> = {}): ReportSnapshot {
  return {
    number: 12,
    createdAt: at(ARRIVED),
    assignees: [],
    labels: ["security-report"],
    comments: [],
    ...patch,
  };
}
const acked = (when = day(1)) => appComment(when, "ack");
const claimed = (login: string, when = day(1)) => appComment(when, `owner:${login}`);

describe("dueStages: each stage at its day boundary", () => {
  it("acknowledge: due exactly acknowledge_within_days (2) after arrival, not a second before", () => {
    expect(dueStages(charter, report(), new Date(day(2).getTime() - 1000))).toEqual([]);
    expect(dueStages(charter, report(), day(2))).toEqual(["acknowledge"]);
  });

  it("acknowledge: an `ack` milestone from the app settles it; the same marker typed by a person does not", () => {
    expect(dueStages(charter, report({ comments: [acked()] }), day(3))).toEqual([]);
    const typed = { ...personComment("mallory", day(1)), markers: ["ack"] };
    expect(dueStages(charter, report({ comments: [typed] }), day(3))).toEqual(["acknowledge"]);
  });

  it("owner: due at owner_within_days (7) without a single assignee; two assignees are no owner", () => {
    const r = report({ comments: [acked()] });
    expect(dueStages(charter, r, day(6.99))).toEqual([]);
    expect(dueStages(charter, r, day(7))).toEqual(["owner"]);
    expect(dueStages(charter, { ...r, assignees: ["shaib", "felixxm"] }, day(7))).toEqual(["owner"]);
    expect(dueStages(charter, { ...r, assignees: ["shaib"] }, day(7))).toEqual([]);
  });

  it("idle: owner_idle_days (14) after the owner's last comment", () => {
    const r = report({
      assignees: ["shaib"],
      comments: [acked(), claimed("shaib"), personComment("ShaiB", day(5))],
    });
    expect(dueStages(charter, r, day(18.99))).toEqual([]);
    expect(dueStages(charter, r, day(19))).toEqual(["idle"]);
  });

  it("idle: counted from the claim when the owner has not commented yet, never from before", () => {
    const r = report({ assignees: ["shaib"], comments: [acked(day(1)), claimed("shaib", day(10))] });
    expect(dueStages(charter, r, day(23.99))).toEqual([]);
    expect(dueStages(charter, r, day(24))).toEqual(["idle"]);
  });

  it("idle: the app's comments and other people's comments are not the owner's activity", () => {
    const r = report({
      assignees: ["shaib"],
      comments: [
        acked(),
        claimed("shaib"),
        personComment("shaib", day(2)),
        appComment(day(15)), // e.g. the app mirrored something: not activity
        personComment("felixxm", day(15)),
      ],
    });
    expect(dueStages(charter, r, day(16))).toEqual(["idle"]);
  });

  it("advisory comments mirrored into the issue (features.advisory_comments) speak for their author", () => {
    // A member's reply on the advisory acknowledges the report and is the owner's activity;
    // the reporter's comment is neither.
    const reporter = appComment(day(1), "advisory-comment:31", "by:reporter");
    expect(dueStages(charter, report({ comments: [reporter] }), day(3))).toEqual(["acknowledge"]);
    const member = appComment(day(1), "advisory-comment:32", "by:shaib");
    expect(dueStages(charter, report({ comments: [member] }), day(3))).toEqual([]);
    const owned = report({
      assignees: ["shaib"],
      comments: [acked(), claimed("shaib"), appComment(day(10), "by:shaib")],
    });
    expect(dueStages(charter, owned, day(23.99))).toEqual([]);
    expect(dueStages(charter, owned, day(24))).toEqual(["idle"]);
  });

  it("escalate: at escalate_after_days (30) whatever else is true", () => {
    const r = report({
      assignees: ["shaib"],
      comments: [acked(), claimed("shaib"), personComment("shaib", day(29))],
    });
    expect(dueStages(charter, r, day(29.99))).toEqual([]);
    expect(dueStages(charter, r, day(30))).toEqual(["escalate"]);
  });

  it("a report found late crosses several stages at once, in order", () => {
    expect(dueStages(charter, report(), day(31))).toEqual(["acknowledge", "owner", "escalate"]);
  });

  it("each stage at most once, ever: its reminder marker in an app comment settles it", () => {
    const r = report({
      comments: [appComment(day(2), "reminder:acknowledge"), appComment(day(7), "reminder:owner")],
    });
    expect(dueStages(charter, r, day(29))).toEqual([]);
    expect(dueStages(charter, r, day(300))).toEqual(["escalate"]);
  });
});

describe("staleActions", () => {
  it("one comment for the stages crossed, with a marker each", () => {
    const actions = staleActions(charter, report(), day(7));
    expect(actions).toEqual([
      {
        kind: "issue.comment",
        repo,
        number: 12,
        body: reminderComment(charter, report(), ["acknowledge", "owner"], day(7)),
        why: "stale report: acknowledge, owner reminder",
      },
    ]);
    const body = (actions[0] as { body: string }).body;
    expect(body).toContain(marker("reminder:acknowledge"));
    expect(body).toContain(marker("reminder:owner"));
  });

  it("escalation mentions the chairs and adds the stale label (once)", () => {
    const r = report({ comments: [acked(), appComment(day(7), "reminder:owner")], assignees: [] });
    const actions = staleActions(
      charter,
      {
        ...r,
        assignees: ["shaib"],
        comments: [...r.comments, claimed("shaib", day(8)), personComment("shaib", day(25))],
      },
      day(30),
    );
    expect(actions.map((a) => a.kind)).toEqual(["issue.comment", "issue.addLabels"]);
    expect((actions[0] as { body: string }).body).toMatch(/^@sarahboyce @jacobtylerwalls: /);
    expect(actions[1]).toMatchObject({ labels: ["stale"], number: 12 });
  });

  it("removes the stale label the escalation added once the owner posts again", () => {
    const base = report({
      assignees: ["shaib"],
      labels: ["security-report", "stale"],
      comments: [acked(), claimed("shaib"), appComment(day(30), "reminder:idle", "reminder:escalate")],
    });
    expect(staleActions(charter, base, day(31))).toEqual([]);
    const after = { ...base, comments: [...base.comments, personComment("shaib", day(30.5))] };
    expect(staleActions(charter, after, day(31))).toEqual([
      {
        kind: "issue.removeLabel",
        repo,
        number: 12,
        label: "stale",
        why: "picked up again after the escalation",
      },
    ]);
  });

  it("a claim or an ack after the escalation also removes it; another person's comment does not", () => {
    const base = report({
      labels: ["security-report", "stale"],
      comments: [appComment(day(31), "reminder:acknowledge", "reminder:owner", "reminder:escalate")],
    });
    const kinds = (r: ReportSnapshot) => staleActions(charter, r, day(32)).map((a) => a.kind);
    expect(kinds({ ...base, comments: [...base.comments, personComment("felixxm", day(31.5))] })).toEqual([]);
    expect(kinds({ ...base, comments: [...base.comments, acked(day(31.5))] })).toEqual(["issue.removeLabel"]);
    expect(
      kinds({
        ...base,
        assignees: ["felixxm"],
        comments: [...base.comments, acked(day(31.5)), claimed("felixxm", day(31.5))],
      }),
    ).toEqual(["issue.removeLabel"]);
  });

  it("leaves a stale label added by hand alone (no escalation by the app)", () => {
    const r = report({
      assignees: ["shaib"],
      labels: ["security-report", "stale"],
      comments: [acked(), claimed("shaib"), personComment("shaib", day(5))],
    });
    expect(staleActions(charter, r, day(6))).toEqual([]);
  });

  it("reminds available triagers only, and the chairs when the charter has no triager", () => {
    const body = reminderComment(charter, report(), ["acknowledge"], day(2));
    expect(body.split(":")[0]).toBe("@jacobtylerwalls @shaib @felixxm");
    const noTriagers = {
      ...charter,
      members: charter.members.map((m) => ({ ...m, roles: m.roles.filter((r) => r !== "triager") })),
    };
    expect(reminderComment(noTriagers, report(), ["owner"], day(7)).split(":")[0]).toBe(
      "@sarahboyce @jacobtylerwalls",
    );
    const away = {
      ...charter,
      members: charter.members.map((m) => (m.login === "shaib" ? { ...m, unavailable: true } : m)),
    };
    expect(reminderComment(away, report(), ["owner"], day(7)).split(":")[0]).toBe(
      "@jacobtylerwalls @felixxm",
    );
  });
});

describe("reminder comments (golden)", () => {
  const owned = report({
    assignees: ["shaib"],
    comments: [acked(), claimed("shaib"), personComment("shaib", day(3))],
  });
  it.each([
    ["acknowledge", report(), day(2)],
    ["owner", report({ comments: [acked()] }), day(7)],
    ["idle", owned, day(17)],
    ["escalate", owned, day(30)],
  ] as const)("%s", async (stage, r, now) => {
    await expect(reminderComment(charter, r, [stage], now)).toMatchFileSnapshot(
      `__golden__/reminder-${stage}.md`,
    );
  });
});
