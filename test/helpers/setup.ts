import nock from "nock";
import { afterEach, beforeEach, expect } from "vitest";
import { resetRecording, takeInvalidRequests } from "./github.js";

// No test may reach the network; loopback stays open for tests of the real HTTP server.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

beforeEach(() => {
  resetRecording();
});

afterEach(async () => {
  const invalid = await takeInvalidRequests();
  nock.cleanAll();
  expect(invalid, "requests that GitHub's API description rejects").toEqual([]);
});
