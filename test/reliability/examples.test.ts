import { describe, expect, it } from "vitest";
import { handlers } from "../../src/index.js";
import { createTestApp } from "../helpers/app.js";
import { github, recordedCalls } from "../helpers/github.js";
import { allExamples } from "../helpers/payloads.js";

/**
 * Every example payload GitHub documents (all events, all actions) delivered to the app: none may
 * crash it, and events the app does not handle must not cost a single GitHub request. For handled
 * events GitHub answers 404 to everything (the examples' orgs have no charter), which must be handled
 * quietly too.
 */
const handled = new Set(handlers.flatMap((h) => h.events as string[]));
const isHandled = (name: string, action: unknown) =>
  handled.has(name) || (typeof action === "string" && handled.has(`${name}.${action}`));

const examples = allExamples();

describe("every documented webhook payload", () => {
  it("covers the whole example set", () => {
    expect(examples.length).toBeGreaterThan(200);
  });

  it.each(
    examples.map((e, i) => [`${e.name}${e.payload.action ? `.${e.payload.action}` : ""} #${i}`, e] as const),
  )("%s", async (_label, { name, payload }) => {
    const app = await createTestApp();
    github()
      .persist()
      .get(/.*/)
      .reply(404, { message: "Not Found" })
      .post(/.*/)
      .reply(404, { message: "Not Found" });
    await expect(app.receive(name, payload)).resolves.toBeUndefined();
    if (!isHandled(name, payload.action)) expect(recordedCalls()).toEqual([]);
  });
});
