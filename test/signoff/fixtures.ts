import { parse } from "yaml";
import { charterText, EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { APP_ID, APP_LOGIN } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { merge, payload, user } from "../helpers/payloads.js";

/** Shared test data for the sign-off flows: a tracking issue #7 in django/security-reports. */

export const TRACKER = "/repos/django/security-reports";
export const ISSUE = `${TRACKER}/issues/7`;
export const GHSA = "GHSA-abcd-efgh-ijkl";
export const reportLabel = {
  id: 1,
  node_id: "L1",
  url: "",
  name: "security-report",
  color: "b60205",
  default: false,
  description: null,
};

/** The example charter with `features.advisory_comments` switched on. */
export const ADVISORY_COMMENTS_CHARTER = charterText(
  merge(parse(EXAMPLE_CHARTER_TEXT), { features: { advisory_comments: true } }),
);

/** The tracking issue as the app created it: its body carries the advisory markers. */
export const trackingIssue = {
  number: 7,
  state: "open",
  labels: [reportLabel],
  body: `Report tracking.\n\n<!-- security-team:ghsa:${GHSA} -->\n<!-- security-team:advisory:django/django -->`,
  user: user(APP_LOGIN, "Bot"),
  assignee: user("shaib"),
  assignees: [user("shaib")],
};

/** `issues.closed` (GitHub's examples have no `closed` payload; `reopened` has the same shape). */
export function closedPayload(closer: string, patch: Record<string, unknown> = {}) {
  return payload("issues", "reopened", {
    action: "closed",
    issue: {
      ...trackingIssue,
      state: "closed",
      state_reason: "not_planned",
      closed_at: "2026-11-22T11:00:00Z",
      ...patch,
    },
    sender: user(closer),
  });
}

export function commentPayload(
  login: string,
  body: string,
  id = 900,
  issuePatch: Record<string, unknown> = {},
) {
  return payload("issue_comment", "created", {
    comment: {
      id,
      body,
      user: user(login),
      created_at: "2026-11-22T11:30:00Z",
      updated_at: "2026-11-22T11:30:00Z",
      html_url: `https://github.com/django/security-reports/issues/7#issuecomment-${id}`,
      performed_via_github_app: null,
    },
    issue: { ...trackingIssue, ...issuePatch },
    sender: user(login),
  });
}

/** An issue comment as the REST API returns it. */
export function restComment(
  id: number,
  login: string,
  body: string,
  createdAt = "2026-11-22T11:05:00Z",
): Record<string, unknown> {
  return merge(exampleResponse("issues/get-comment") as Record<string, unknown>, {
    id,
    body,
    user: user(login, login === APP_LOGIN ? "Bot" : "User"),
    created_at: createdAt,
    updated_at: createdAt,
    html_url: `https://github.com/django/security-reports/issues/7#issuecomment-${id}`,
    performed_via_github_app: login === APP_LOGIN ? { id: APP_ID } : null,
  });
}
