import { describe, expect, it } from "vitest";
import { draftText, namedDraft } from "../../src/signoff/commands.js";
import { pendingSignoffs, signoffReviewers } from "../../src/signoff/pending.js";
import { exampleCharter, TEST_NOW } from "../helpers/charter.js";
import { APP_ID, APP_LOGIN } from "../helpers/github.js";

const self = { appId: APP_ID, login: APP_LOGIN };
const app = (id: number, body: string) => ({
  id,
  body,
  user: { login: APP_LOGIN },
  created_at: "2026-11-22T10:00:00Z",
});
const m = (key: string) => `<!-- security-team:${key} -->`;

describe("pendingSignoffs", () => {
  it("reads the latest close request and the unapproved drafts from the app's own comments", () => {
    const comments = [
      app(1, m("signoff-close:completed:newperson")),
      app(2, m("signoff-close:duplicate:newperson")),
      app(3, m("draft:10")),
      app(4, m("draft:11")),
      app(5, m("draft-approved:10")),
      { ...app(6, m("draft:12")), user: { login: "mallory" } },
    ];
    expect(pendingSignoffs(comments, self)).toEqual({
      close: { requestId: 2, reason: "duplicate", closer: "newperson" },
      drafts: [11],
    });
  });

  it("has no pending close once the latest request is approved", () => {
    const comments = [app(1, m("signoff-close:not_planned:newperson")), app(2, m("signoff-approved:1"))];
    expect(pendingSignoffs(comments, self)).toEqual({ drafts: [] });
  });

  it("has no pending close once a full member's own close settled the latest request", () => {
    const comments = [app(1, m("signoff-close:not_planned:newperson")), app(2, m("signoff-settled:1"))];
    expect(pendingSignoffs(comments, self)).toEqual({ drafts: [] });
    expect(pendingSignoffs([...comments, app(3, m("signoff-close:completed:newperson"))], self)).toEqual({
      close: { requestId: 3, reason: "completed", closer: "newperson" },
      drafts: [],
    });
  });
});

describe("namedDraft", () => {
  const drafts = new Map([
    [10, "Thanks, we are looking into it."],
    [11, "We could not reproduce it.\nWhich version do you run?"],
  ]);
  it("finds a linked or quoted pending draft", () => {
    expect(namedDraft("see https://github.com/o/r/issues/7#issuecomment-11", [10, 11], drafts)).toBe(11);
    expect(namedDraft("> We could not reproduce it.\n> Which version", [10, 11], drafts)).toBe(11);
    expect(namedDraft("looks good", [10, 11], drafts)).toBeUndefined();
  });
  it("answers unknown for a link or quote that is not a pending draft", () => {
    expect(namedDraft("#issuecomment-99", [10, 11], drafts)).toBe("unknown");
    expect(namedDraft("> something else", [10, 11], drafts)).toBe("unknown");
  });
});

describe("draftText", () => {
  it("is the text after /draft, on the first line and below", () => {
    expect(draftText("/draft Hello\nsecond line")).toBe("Hello\nsecond line");
    expect(draftText("/draft")).toBe("");
  });
});

describe("signoffReviewers", () => {
  const charter = exampleCharter();
  it("names a full-member owner, else the chairs", () => {
    expect(signoffReviewers(charter, "shaib", "newperson", TEST_NOW)).toBe("@shaib");
    expect(signoffReviewers(charter, "newperson", "newperson", TEST_NOW)).toBe(
      "@sarahboyce @jacobtylerwalls",
    );
    expect(signoffReviewers(charter, undefined, "newperson", TEST_NOW)).toBe("@sarahboyce @jacobtylerwalls");
  });
});
