import { createRequire } from "node:module";
import { exampleResponse } from "./openapi.js";

/**
 * Webhook payloads from GitHub's own examples (@octokit/webhooks-examples), adjusted per test with a
 * deep merge. `repository_advisory` has no example there, so it is assembled from the REST example of
 * a repository advisory plus the repository/organization/installation of a real payload.
 */

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as {
  name: string;
  examples: Record<string, unknown>[];
}[];

export type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

export function allExamples(): { name: string; payload: Record<string, unknown> }[] {
  return examples.flatMap((e) =>
    e.examples.map((payload) => ({ name: e.name, payload: structuredClone(payload) })),
  );
}

export function example(event: string, action?: string): Record<string, unknown> {
  const group = examples.find((e) => e.name === event);
  const found = group?.examples.find((p) => action === undefined || p.action === action);
  if (!found) throw new Error(`no example payload for ${event}${action ? `.${action}` : ""}`);
  return structuredClone(found);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge, everything else (arrays included) replaces. */
export function merge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out as T;
}

/** The org, repo and installation every test payload uses unless it says otherwise. */
export const ORG = "django";
export const INSTALLATION_ID = 42;

export function repoFields(repo: string, options: { private?: boolean } = {}) {
  const base = example("issues", "opened") as { repository: Record<string, unknown>; organization?: unknown };
  const org = (example("membership", "added") as { organization: Record<string, unknown> }).organization;
  return {
    repository: merge(base.repository, {
      name: repo,
      full_name: `${ORG}/${repo}`,
      private: options.private ?? true,
      visibility: options.private === false ? "public" : "private",
      owner: { login: ORG, type: "Organization" },
    }),
    organization: merge(org, { login: ORG }),
    installation: { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
  };
}

export function user(login: string, type: "User" | "Bot" = "User") {
  const sender = (example("issues", "opened") as { sender: Record<string, unknown> }).sender;
  return { ...sender, login, type };
}

/** A payload for `event.action` from GitHub's examples, placed in `repo` of the test org. */
export function payload(
  event: string,
  action: string | undefined,
  patch: unknown,
  repo = "security-reports",
) {
  return merge(merge(example(event, action), repoFields(repo)), patch);
}

export function advisory(patch: unknown = {}) {
  return merge(exampleResponse("security-advisories/get-repository-advisory"), patch) as Record<
    string,
    unknown
  > & {
    ghsa_id: string;
  };
}

export function advisoryPayload(
  action: "reported" | "published",
  advisoryPatch: unknown = {},
  repo = "django",
) {
  return {
    action,
    repository_advisory: advisory(advisoryPatch),
    ...repoFields(repo, { private: false }),
    sender: user("reporter"),
  };
}
