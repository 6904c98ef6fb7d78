import { describe, expect, it } from "vitest";
import { exampleResponse, validateRequest } from "../helpers/openapi.js";

// The guard every nock-backed test relies on: a mock cannot agree with a call GitHub would reject.
describe("OpenAPI request guard", () => {
  it("accepts a well-formed request", () => {
    expect(
      validateRequest("PATCH", "/repos/o/r/issues/1", { state: "closed", state_reason: "not_planned" }),
    ).toEqual([]);
    expect(
      validateRequest("GET", "/orgs/o/security-advisories?state=triage&per_page=100", undefined),
    ).toEqual([]);
  });

  it("rejects unknown routes, methods, enums, keys and query parameters", () => {
    expect(validateRequest("POST", "/repos/o/r/security-advisories/GHSA-1/comments", { body: "x" })).toEqual([
      "POST /repos/o/r/security-advisories/GHSA-1/comments: no such route in GitHub's REST API",
    ]);
    expect(validateRequest("PATCH", "/repos/o/r/issues/1", { state: "shut" })[0]).toMatch(/is not one of/);
    expect(validateRequest("PATCH", "/repos/o/r/issues/1", { assignee_list: [] })[0]).toMatch(
      /unknown property "assignee_list"/,
    );
    expect(validateRequest("GET", "/orgs/o/security-advisories?page=2", undefined)[0]).toMatch(
      /unknown query parameter "page"/,
    );
    expect(validateRequest("PUT", "/orgs/o/teams/t/memberships/u", { role: "owner" })[0]).toMatch(
      /is not one of/,
    );
  });
});

describe("example responses", () => {
  it("resolves examples that point at shared example objects", () => {
    expect(exampleResponse("issues/get")).toMatchObject({ number: 1347, title: "Found a bug" });
  });
});
