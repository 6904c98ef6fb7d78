import { readFileSync } from "node:fs";
import { createApp } from "../src/index.js";
import { exampleResponse } from "../test/helpers/openapi.js";
import { advisory, INSTALLATION_ID, payload, user } from "../test/helpers/payloads.js";
import { startMockGitHub } from "./mock-github.js";
import { deliverMany, percentile, signedDelivery, startServer } from "./server.js";

/**
 * Child process of the webhook benchmark (compiled, no tsx, no nock): signed deliveries through the
 * real HTTP server, (a) a `star` event the app ignores and (b) a claim by label whose GitHub calls a
 * zero-latency mock GitHub on 127.0.0.1 answers, next to a bare Probot app that does nothing. The
 * three run in alternating rounds so that machine drift affects them alike. Prints one JSON
 * `WebhookMeasurement`.
 */

export interface WebhookMeasurement {
  deliveries: number;
  rounds: number;
  bare: Side;
  ignored: Side;
  claim: Side & { requestsPerClaim: number; routes: string[] };
}

interface Side {
  perSecond: number;
  p50: number;
  p99: number;
}

const APP_ID = 123;
const APP_SLUG = "security-team";
const GHSA = "GHSA-aaaa-bbbb-cccc";
const CHARTER = readFileSync(new URL("../config/charter.example.yml", import.meta.url), "utf8");
const ROUNDS = 25;
const PER_ROUND = 40;

const starPayload = {
  action: "created",
  starred_at: "2026-11-22T00:00:00Z",
  repository: { id: 1, name: "django", full_name: "django/django", owner: { login: "django" } },
  sender: { login: "someone", type: "User" },
};

/** A member adds the claim label to a tracking issue the app opened for a private report. */
const claimPayload = payload("issues", "labeled", {
  issue: {
    number: 11,
    title: `${GHSA}: report`,
    body: `<!-- security-team:ghsa:${GHSA} -->\n<!-- security-team:advisory:django/django -->\n\ndetails`,
    user: user(`${APP_SLUG}[bot]`, "Bot"),
    performed_via_github_app: { id: APP_ID },
    assignees: [],
    assignee: null,
    labels: [
      { id: 1, name: "security-report", color: "b60205" },
      { id: 2, name: "claim", color: "b60205" },
    ],
    comments: 0,
    created_at: "2026-11-21T09:30:00Z",
  },
  label: { id: 2, name: "claim", color: "b60205" },
  sender: user("shaib"),
});

interface ClaimIssue {
  number: number;
  body: string;
  created_at: string;
  labels: { name: string }[];
}

function summary(latencies: number[]): Side {
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = latencies.reduce((a, b) => a + b, 0);
  return {
    perSecond: (latencies.length / total) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const github = await startMockGitHub((method, path) => {
  if (path === `/app/installations/${INSTALLATION_ID}/access_tokens`) {
    return { status: 201, body: { token: "ghs_bench", expires_at: "2099-01-01T00:00:00Z", permissions: {} } };
  }
  if (method === "GET" && path === "/app") {
    return {
      status: 200,
      body: { ...(exampleResponse("apps/get-authenticated") as object), id: APP_ID, slug: APP_SLUG },
    };
  }
  if (path.startsWith("/repos/django/.github/contents/"))
    return { status: 200, body: undefined, raw: CHARTER };
  // The claim's one read: the charter and the issue as it is now (is the claim label still on it?).
  if (method === "POST" && path === "/graphql") {
    const { issue } = claimPayload as unknown as { issue: ClaimIssue };
    return {
      status: 200,
      body: {
        data: {
          charter: {
            defaultBranchRef: {
              target: { file: { mode: 0o100644, object: { text: CHARTER, isTruncated: false } } },
            },
          },
          repository: {
            issue: {
              number: issue.number,
              state: "OPEN",
              body: issue.body,
              createdAt: issue.created_at,
              author: { __typename: "Bot", login: APP_SLUG },
              assignees: { nodes: [] },
              labels: { nodes: issue.labels.map((l) => ({ name: l.name })) },
              comments: { totalCount: 0 },
            },
          },
        },
      },
    };
  }
  if (path === `/repos/django/django/security-advisories/${GHSA}`) {
    return {
      status: 200,
      body: advisory({ ghsa_id: GHSA, state: "triage", collaborating_users: [], collaborating_teams: [] }),
    };
  }
  return undefined;
});
const ours = await startServer(createApp({ env: { SWEEP_CRON: "off" } }), github.url);
const bare = await startServer(() => {});
const star = signedDelivery("star", starPayload);
const claim = signedDelivery("issues", claimPayload);

// Warm-up: the installation token and the app's identity are fetched once and cached, as in production.
await deliverMany(bare.url, star, 100);
await deliverMany(ours.url, star, 100);
await deliverMany(ours.url, claim, 20);
github.reset();
await deliverMany(ours.url, claim, 1);
if (github.invalid.length > 0) throw new Error(`invalid requests: ${github.invalid.join("; ")}`);
const routes = [...github.requests];
github.validating = false;
github.reset();

// Short rounds whose order rotates: no side always follows the claim rounds' garbage.
const sides = [
  { latencies: [] as number[], url: bare.url, delivery: star },
  { latencies: [] as number[], url: ours.url, delivery: star },
  { latencies: [] as number[], url: ours.url, delivery: claim },
] as const;
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < sides.length; k++) {
    const side = sides[(r + k) % sides.length] as (typeof sides)[number];
    side.latencies.push(...(await deliverMany(side.url, side.delivery, PER_ROUND)));
  }
}
const [bareSide, ignoredSide, claimSide] = sides;
const requestsPerClaim = github.requests.length / (ROUNDS * PER_ROUND);
await ours.stop();
await bare.stop();
await github.stop();

const measurement: WebhookMeasurement = {
  deliveries: ROUNDS * PER_ROUND,
  rounds: ROUNDS,
  bare: summary(bareSide.latencies),
  ignored: summary(ignoredSide.latencies),
  claim: { ...summary(claimSide.latencies), requestsPerClaim, routes },
};
process.stdout.write(JSON.stringify(measurement));
