import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { EXAMPLE_CHARTER_TEXT } from "../helpers/charter.js";
import { type AppServer, as, FakeGitHub, startAppServer, webhookSender } from "./index.js";

const NOW = "2026-11-22T12:00:00Z";
const TRACKER = "django/security-reports";
let fake: FakeGitHub;

beforeEach(async () => {
  fake = new FakeGitHub({ now: () => new Date(NOW) });
  await fake.start();
  fake.addOrg("django", { members: ["sarahboyce"] });
  fake.addTeam("django", "django-security-team");
  fake.addRepo("django/.github");
  fake.setFile("django/.github", ".github/security-charter.yml", EXAMPLE_CHARTER_TEXT);
  fake.addRepo(TRACKER, { private: true });
  fake.addRepo("django/django");
});

afterEach(async () => {
  await fake.stop();
});

/** An installation client, authenticated the way the app is (JWT, then an installation token). */
async function installationClient() {
  const probot = new Probot({
    appId: fake.appId,
    privateKey: TEST_PRIVATE_KEY,
    baseUrl: fake.baseUrl,
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  return probot.auth(42);
}

describe("the fake GitHub's REST API", () => {
  it("paginates lists with Link headers honouring per_page", async () => {
    for (let n = 1; n <= 5; n++) fake.addIssue(TRACKER, { title: `issue ${n}`, labels: ["security-report"] });
    fake.addIssue(TRACKER, { title: "unrelated" });
    const octokit = await installationClient();

    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: "django",
      repo: "security-reports",
      labels: "security-report",
      sort: "created",
      direction: "asc",
      per_page: 2,
    });

    expect(issues.map((i) => i.title)).toEqual(["issue 1", "issue 2", "issue 3", "issue 4", "issue 5"]);
    expect(
      fake.requests
        .filter((r) => r.path.includes("/issues?"))
        .map((r) => new URL(r.path, fake.baseUrl).searchParams.get("page")),
    ).toEqual([null, "2", "3"]);
    expect(fake.invalidRequests).toEqual([]);
  });

  it("lists the org's advisories by state with cursor pagination", async () => {
    const a = fake.addAdvisory("django/django", { summary: "a", state: "triage" });
    const b = fake.addAdvisory("django/django", { summary: "b", state: "draft" });
    fake.addAdvisory("django/django", { summary: "c", state: "published" });
    const c = fake.addAdvisory("django/.github", { summary: "d", state: "triage" });
    const octokit = await installationClient();

    const listed = await octokit.paginate(octokit.rest.securityAdvisories.listOrgRepositoryAdvisories, {
      org: "django",
      state: "triage",
      per_page: 1,
    });
    const drafts = await octokit.rest.securityAdvisories.listOrgRepositoryAdvisories({
      org: "django",
      state: "draft",
    });

    expect(listed.map((x) => x.ghsa_id).sort()).toEqual([a.ghsa_id, c.ghsa_id].sort());
    expect(fake.requests.some((r) => r.path.includes("after="))).toBe(true);
    expect(drafts.data.map((x) => x.ghsa_id)).toEqual([b.ghsa_id]);
    expect(fake.invalidRequests).toEqual([]);
  });

  it("replaces an advisory's collaborator lists whole on PATCH, as GitHub does", async () => {
    const advisory = fake.addAdvisory("django/django", {
      summary: "x",
      collaborating_users: ["someone"],
      collaborating_teams: ["other-team"],
    });
    const octokit = await installationClient();

    const { data } = await octokit.rest.securityAdvisories.updateRepositoryAdvisory({
      owner: "django",
      repo: "django",
      ghsa_id: advisory.ghsa_id,
      collaborating_teams: ["django-security-team"],
    });
    await octokit.rest.securityAdvisories.updateRepositoryAdvisory({
      owner: "django",
      repo: "django",
      ghsa_id: advisory.ghsa_id,
      collaborating_users: ["shaib"],
    });

    expect(data.collaborating_teams?.map((t) => t.slug)).toEqual(["django-security-team"]);
    expect(fake.advisory("django/django", advisory.ghsa_id)).toMatchObject({
      collaborating_teams: ["django-security-team"], // "other-team" lost access: the list was replaced
      collaborating_users: ["shaib"],
    });
  });

  it("answers an invalid request as GitHub would and records it", async () => {
    const octokit = await installationClient();

    const wrongBody = await octokit
      .request("POST /repos/{owner}/{repo}/issues", {
        owner: "django",
        repo: "security-reports",
        title: "t",
        colour: "red",
      })
      .catch((e: { status: number }) => e);
    const noSuchRoute = await octokit
      .request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "django", repo: "django" })
      .catch((e: { status: number }) => e);

    expect(wrongBody).toMatchObject({ status: 422 });
    expect(noSuchRoute).toMatchObject({ status: 404 });
    expect(fake.invalidRequests).toEqual([
      'POST /repos/{owner}/{repo}/issues body: unknown property "colour"',
      "GET /repos/django/django/no-such-thing: no such route in GitHub's REST API",
    ]);
    expect(fake.issues(TRACKER)).toEqual([]);
  });

  it("refuses requests without the app's credentials", async () => {
    const response = await fetch(`${fake.baseUrl}/repos/django/django`);
    const app = await fetch(`${fake.baseUrl}/app`, { headers: { authorization: "token not-a-jwt" } });

    expect(response.status).toBe(401);
    expect(app.status).toBe(401);
  });

  it("serves files raw or as base64 JSON, at a branch or a commit", async () => {
    const sha = fake.setFile("django/.github", "README.md", "v2");
    fake.setFile("django/.github", "README.md", "v3");
    const octokit = await installationClient();
    const where = { owner: "django", repo: ".github", path: "README.md" };

    const raw = await octokit.rest.repos.getContent({ ...where, mediaType: { format: "raw" } });
    const json = await octokit.rest.repos.getContent({ ...where, ref: sha });

    expect(raw.data).toBe("v3");
    expect(json.data).toMatchObject({
      type: "file",
      encoding: "base64",
      content: Buffer.from("v2").toString("base64"),
    });
  });

  it("turns a team membership for someone outside the org into an invitation, and filters members by role", async () => {
    const octokit = await installationClient();
    const team = { org: "django", team_slug: "django-security-team" };

    await octokit.rest.teams.addOrUpdateMembershipForUserInOrg({
      ...team,
      username: "sarahboyce",
      role: "maintainer",
    });
    const invited = await octokit.rest.teams.addOrUpdateMembershipForUserInOrg({
      ...team,
      username: "newperson",
    });
    const maintainers = await octokit.rest.teams.listMembersInOrg({ ...team, role: "maintainer" });
    const invitations = await octokit.rest.teams.listPendingInvitationsInOrg(team);

    expect(invited.data.state).toBe("pending");
    expect(maintainers.data.map((u) => u.login)).toEqual(["sarahboyce"]);
    expect(invitations.data.map((i) => i.login)).toEqual(["newperson"]);
    expect(fake.teamMembers("django", "django-security-team")).toEqual([
      { login: "sarahboyce", role: "maintainer" },
    ]);
  });

  it("lists a repository's comments since a time, and resolves HEAD to the default branch's commit", async () => {
    const one = fake.addIssue(TRACKER, { title: "one" });
    const two = fake.addIssue(TRACKER, { title: "two" });
    fake.addComment(one, "shaib", "early");
    let clock = "2026-11-23T12:00:00Z";
    fake.now = () => new Date(clock);
    fake.addComment(two, "felixxm", "later");
    clock = "2026-11-24T12:00:00Z";
    const octokit = await installationClient();

    const comments = await octokit.paginate(octokit.rest.issues.listCommentsForRepo, {
      owner: "django",
      repo: "security-reports",
      since: "2026-11-23T00:00:00Z",
      per_page: 100,
    });
    const head = await octokit.rest.repos.getCommit({ owner: "django", repo: ".github", ref: "HEAD" });

    expect(comments.map((c) => [c.body, c.issue_url.split("/").pop()])).toEqual([["later", "2"]]);
    expect(head.data.sha).toBe(fake.repo("django/.github").branches.get("main"));
  });

  it("answers GraphQL over its state, with GitHub's connections, and flags invalid queries", async () => {
    for (let n = 1; n <= 3; n++) {
      const issue = fake.addIssue(TRACKER, {
        title: `report ${n}`,
        labels: ["security-report"],
        author: fake.botLogin,
      });
      for (let c = 1; c <= 3; c++) fake.addComment(issue, c === 3 ? fake.botLogin : "shaib", `comment ${c}`);
    }
    fake.issue(TRACKER, 2).state = "closed";
    const octokit = await installationClient();
    const query = `query($owner: String!, $repo: String!, $labels: [String!], $cursor: String) {
      repository(owner: $owner, name: $repo) {
        issues(labels: $labels, states: OPEN, first: 1, after: $cursor, orderBy: { field: CREATED_AT, direction: ASC }) {
          pageInfo { hasNextPage endCursor }
          nodes { number author { __typename login } comments(last: 2) { pageInfo { hasPreviousPage } nodes { body author { login } } } }
        }
      }
    }`;
    type Page = {
      repository: {
        issues: {
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: { number: number; author: { __typename: string; login: string }; comments: unknown }[];
        };
      };
    };
    const vars = { owner: "django", repo: "security-reports", labels: ["security-report"] };

    const first = await octokit.graphql<Page>(query, vars);
    const second = await octokit.graphql<Page>(query, {
      ...vars,
      cursor: first.repository.issues.pageInfo.endCursor,
    });
    const invalid = await octokit
      .graphql('query { repository(owner: "django") { nope } }')
      .catch((e: Error) => e);

    expect(first.repository.issues.nodes).toEqual([
      {
        number: 1,
        author: { __typename: "Bot", login: "security-team" },
        comments: {
          pageInfo: { hasPreviousPage: true },
          nodes: [
            { body: "comment 2", author: { login: "shaib" } },
            { body: "comment 3", author: { login: "security-team" } },
          ],
        },
      },
    ]);
    expect(first.repository.issues.pageInfo.hasNextPage).toBe(true);
    expect(second.repository.issues.nodes.map((n) => n.number)).toEqual([3]); // #2 is closed
    expect(second.repository.issues.pageInfo.hasNextPage).toBe(false);
    expect(invalid).toBeInstanceOf(Error);
    expect(fake.invalidRequests.join("\n")).toMatch(/Cannot query field "nope"/);
  });

  it("answers a file on the default branch over GraphQL, and null for a missing one", async () => {
    const repo = fake.repo("django/.github");
    fake.setFile("django/.github", "notes.md", "on main");
    repo.branches.set("topic", repo.branches.get("main") ?? "");
    fake.setFile("django/.github", "notes.md", "on a branch", "topic");
    const octokit = await installationClient();
    const query = `query($path: String!) {
      repository(owner: "django", name: ".github") {
        defaultBranchRef { target { ... on Commit { file(path: $path) { mode object { ... on Blob { text isTruncated } } } } } }
      }
    }`;
    type File = { repository: { defaultBranchRef: { target: { file: unknown } } } };
    const found = await octokit.graphql<File>(query, { path: "notes.md" });
    const missing = await octokit.graphql<File>(query, { path: "nope.md" });
    expect(found.repository.defaultBranchRef.target.file).toEqual({
      mode: 0o100644,
      object: { text: "on main", isTruncated: false },
    });
    expect(missing.repository.defaultBranchRef.target.file).toBeNull();
    expect(fake.invalidRequests).toEqual([]);
  });

  it("compares two commits: the commits beyond the merge base, who made each, and GitHub's signature", async () => {
    const repo = fake.repo("django/.github");
    const base = repo.branches.get("main") ?? "";
    repo.branches.set("topic", base);
    const person = fake.setFile("django/.github", "a.md", "a", "topic", {
      login: "mallory",
      verified: false,
    });
    const app = fake.setFile("django/.github", "a.md", "b", "topic", {
      login: fake.botLogin,
      verified: true,
    });
    const octokit = await installationClient();
    const compare = (basehead: string) =>
      octokit.rest.repos
        .compareCommitsWithBasehead({ owner: "django", repo: ".github", basehead })
        .then(({ data }) => ({
          status: data.status,
          ahead: data.ahead_by,
          behind: data.behind_by,
          commits: data.commits.map((c) => [c.sha, c.author?.login, c.commit.verification?.verified]),
        }));
    expect(await compare(`${base}...${base}`)).toEqual({
      status: "identical",
      ahead: 0,
      behind: 0,
      commits: [],
    });
    expect(await compare(`main...topic`)).toEqual({
      status: "ahead",
      ahead: 2,
      behind: 0,
      commits: [
        [person, "mallory", false],
        [app, fake.botLogin, true],
      ],
    });
    fake.setFile("django/.github", "README.md", "moved on");
    expect(await compare(`main...${app}`)).toMatchObject({ status: "diverged", ahead: 2, behind: 1 });
    expect(await compare(`${app}...main`)).toMatchObject({ status: "diverged", ahead: 1, behind: 2 });
    expect(await compare(`${person}...${base}`)).toEqual({
      status: "behind",
      ahead: 0,
      behind: 1,
      commits: [],
    });
    expect(fake.invalidRequests).toEqual([]);
  });
});

describe("webhooks to the real Probot server", () => {
  let app: AppServer;
  beforeEach(async () => {
    fake.addIssue(TRACKER, { title: "Report", author: fake.botLogin });
    app = await startAppServer(fake, { env: { SECURITY_TEAM_NOW: NOW }, privateKey: TEST_PRIVATE_KEY });
  });
  afterEach(async () => {
    await app.stop();
  });

  it("accepts a signed delivery, runs the app, and the app's answer lands in the fake", async () => {
    const [delivery] = await app.deliver(as(fake, "shaib").comment(TRACKER, 1, "/help"));

    expect(delivery?.status).toBe(200);
    const comments = fake.issue(TRACKER, 1).comments;
    expect(comments.map((c) => c.user.login)).toEqual(["shaib", "security-team[bot]"]);
    expect(comments[1]?.body).toContain("| `/help` | this list | members |");
    expect(fake.invalidRequests).toEqual([]);
  });

  it("rejects an unsigned delivery and a wrongly signed one, and does nothing", async () => {
    const [event] = as(fake, "shaib").comment(TRACKER, 1, "/help");
    if (!event) throw new Error("no event");

    const unsigned = await app.send(event, { signed: false });
    const forged = await webhookSender({
      url: `${app.url}/api/github/webhooks`,
      secret: "not the secret",
    }).send(event);

    expect(unsigned.status).toBe(400);
    expect(forged.status).toBe(400);
    expect(fake.writes()).toEqual([]);
    expect(fake.issue(TRACKER, 1).comments.map((c) => c.user.login)).toEqual(["shaib"]);
  });

  it("answers GET /healthz through the real server", async () => {
    const response = await fetch(`${app.url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
