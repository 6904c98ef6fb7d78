import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { marker } from "../src/core/markers.js";
import { ISSUES_PER_PAGE } from "../src/sweep/read.js";

/**
 * The fake GitHub of the sweep benchmark, in a process of its own (`node bench/sweep-github.js SIZE
 * NOW`, compiled): an HTTP server on 127.0.0.1 that generates each page of SIZE open reports on demand, so
 * it holds nothing either. It prints its URL as the first line of stdout. `GET /_counts` answers the
 * reads and writes it served. Kept out of the sweep's process so that the sweep's memory is the app's
 * alone: in the same process, generating and serialising the pages made about a fifth of the sweep's
 * allocations, and a `fetch` answered in memory left out the HTTP client's own.
 *
 * The generated reports cycle through: fresh, acknowledged and owned with a recent update, every
 * stage already reminded, and (one in 20) a report that crosses a stage now. Each carries 12
 * comments of a few hundred bytes, as threads do.
 */

const total = Number(process.argv[2]);
/** The sweep's clock (its SECURITY_TEAM_NOW): the generated dates are relative to it. */
const NOW = new Date(String(process.argv[3]));
const DAY = 86_400_000;
const CHARTER = readFileSync(new URL("../config/charter.example.yml", import.meta.url), "utf8");
const FILLER =
  "Looked into the reproducer; the patch needs a regression test for the multi-byte case. ".repeat(4);

const iso = (ms: number) => new Date(ms).toISOString();
const bot = (createdAt: string, body: string) => ({
  author: { __typename: "Bot", login: "security-team" },
  createdAt,
  body,
});
const person = (login: string, createdAt: string) => ({
  author: { __typename: "User", login },
  createdAt,
  body: FILLER,
});

function issueNode(i: number) {
  const kind = i % 20 === 0 ? "crossing" : ((["fresh", "active", "reminded"] as const)[i % 3] ?? "fresh");
  const created = NOW.getTime() - { fresh: 0.5, active: 20, reminded: 40, crossing: 40 }[kind] * DAY;
  const comments = Array.from({ length: 10 }, (_, k) =>
    person("reporter", iso(created + (k + 1) * 3_600_000)),
  );
  let assignees: string[] = [];
  if (kind === "active") {
    assignees = ["shaib"];
    comments.push(bot(iso(created + 3_600_000), `Acknowledged. ${marker("ack")}`));
    comments.push(person("shaib", iso(NOW.getTime() - 2 * DAY)));
  } else if (kind === "reminded") {
    comments.push(
      bot(
        iso(created + 31 * DAY),
        ["acknowledge", "owner", "escalate"].map((s) => marker(`reminder:${s}`)).join("\n"),
      ),
      person("reporter", iso(created + 32 * DAY)),
    );
  } else {
    comments.push(person("reporter", iso(created + DAY)), person("reporter", iso(created + 2 * DAY)));
  }
  const ghsa = `GHSA-${i.toString(36).padStart(4, "0")}-benc-hxxx`;
  return {
    number: i + 1,
    title: `${ghsa}: Bench report ${i}, a summary long enough to be learnt`,
    createdAt: iso(created),
    body: `A tracking issue.\n\n${marker(`ghsa:${ghsa}`)}\n${marker("advisory:django/django")}`,
    author: { __typename: "Bot", login: "security-team" },
    assignees: { nodes: assignees.map((login) => ({ login })) },
    labels: { nodes: [{ name: "security-report" }, ...(kind === "reminded" ? [{ name: "stale" }] : [])] },
    comments: { pageInfo: { hasPreviousPage: false, startCursor: null }, nodes: comments },
  };
}

function page(cursor: string | null) {
  const start = cursor ? Number(cursor) : 0;
  const end = Math.min(start + ISSUES_PER_PAGE, total);
  const nodes = Array.from({ length: end - start }, (_, k) => issueNode(start + k));
  return {
    data: {
      repository: {
        nameWithOwner: "django/security-reports",
        visibility: "PRIVATE",
        issues: { pageInfo: { hasNextPage: end < total, endCursor: String(end) }, nodes },
      },
    },
  };
}

async function textOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const counts = { reads: 0, writes: 0 };
const json = (res: ServerResponse, status: number, data: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));

const server = createServer(async (req, res) => {
  const method = req.method ?? "GET";
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  const body = await textOf(req);
  if (path === "/_counts") return json(res, 200, counts);
  if (path === "/graphql") {
    counts.reads++;
    const { variables } = JSON.parse(body) as { variables: { cursor: string | null } };
    return json(res, 200, page(variables.cursor));
  }
  if (method === "GET" && path.includes("/contents/")) {
    counts.reads++;
    return res.writeHead(200, { "content-type": "application/vnd.github.raw" }).end(CHARTER);
  }
  counts.writes++;
  return json(res, method === "POST" && path.endsWith("/comments") ? 201 : 200, { id: counts.writes });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
// Ends with the sweep's process, whose stdin pipe closes then.
process.stdin.on("close", () => process.exit(0)).resume();
