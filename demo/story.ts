import { sweepInstallation } from "../src/sweep/sweep.js";
import { must, type Step } from "./harness.js";
import type { World } from "./world.js";

/**
 * The story `npm run demo` plays, in order. Each step: when (optional), what people do on GitHub,
 * and what the team should then see. People and times follow `config/charter.example.yml`, as of
 * 2026-11-22: sarahboyce chairs, jacobtylerwalls co-chairs and triages, shaib and felixxm triage,
 * newperson joined on 2026-10-20 and is onboarding until 2026-12-20; mallory is not on the team.
 */

const appComments = (w: World, repo: string, number: number) =>
  w.fake.issue(repo, number).comments.filter((c) => c.user.login === w.fake.botLogin);
const lastComment = (w: World, repo: string, number: number) => w.fake.issue(repo, number).comments.at(-1);

/** What the story learns as it goes: the tracking issues, the nomination, the charter PRs. */
const seen = {
  ghsa: "",
  tracking: 0,
  nomination: 0,
  pull: 0,
  ghsa2: "",
  tracking2: 0,
  leave: 0,
  leaveCheck: "",
  ghsa3: "",
  tracking3: 0,
};

/** The member who leaves the team themselves. */
const LEAVER = "charettes";

const NOMINEE = "carltongibson";
const charterWithNominee = (text: string) =>
  text.replace(
    "\npolicy:",
    `  - login: ${NOMINEE}\n    name: Carlton Gibson\n    affiliation: Noumenal\n    joined: 2026-12-08\n\npolicy:`,
  );
const charterRun = (w: World) => {
  const head = w.fake.issue(w.charterRepo, seen.pull).pull?.headSha ?? "";
  return w.fake
    .checkRuns(w.charterRepo, head)
    .filter((r) => r.name === "charter")
    .at(-1);
};

export const story: Step[] = [
  {
    name: "The app starts and reports healthy",
    async act() {},
    expected: "GET /healthz answers 200 {status: ok} from the real server",
    async check(w) {
      const response = await fetch(`${w.app.url}/healthz`);
      must(response.status === 200, `/healthz answered ${response.status}`);
      const body = (await response.json()) as { status?: string };
      must(body.status === "ok", `/healthz said ${JSON.stringify(body)}`);
    },
  },
  {
    name: "A private vulnerability report arrives",
    at: "2026-11-22T09:00:00Z",
    async act(w) {
      const events = w.person("jane-reporter").reportVulnerability(w.project, {
        summary: "SQL injection in QuerySet.extra() with crafted column aliases",
        description: "Details only the team may read.",
        severity: "high",
      });
      seen.ghsa = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
      await w.deliver(events);
    },
    expected:
      "one tracking issue in the private tracker, labelled security-report, assigned to a triager; the team collaborates on the advisory",
    check(w) {
      const issues = w.fake.issues(w.tracker);
      must(issues.length === 1, `${issues.length} tracking issues`);
      const issue = issues[0] as (typeof issues)[0];
      seen.tracking = issue.number;
      must(issue.labels.includes("security-report"), `labels: ${issue.labels.join(", ")}`);
      must(issue.body.includes(`security-team:ghsa:${seen.ghsa}`), "no GHSA marker in the issue");
      const triagers = w.charter.members.filter((m) => m.roles.includes("triager")).map((m) => m.login);
      must(
        issue.assignees.length === 1 && triagers.includes(issue.assignees[0] ?? ""),
        `assignees: ${issue.assignees}`,
      );
      must(
        !issue.body.includes("Details only the team may read"),
        "the description was copied into the issue",
      );
      const advisory = w.fake.advisory(w.project, seen.ghsa);
      must(
        advisory.collaborating_teams.includes(w.team),
        `collaborating teams: ${advisory.collaborating_teams}`,
      );
    },
  },
  {
    name: "A member claims the report by adding the claim label",
    async act(w) {
      await w.deliver(w.person("felixxm").addLabel(w.tracker, seen.tracking, "claim"));
    },
    expected:
      "@felixxm is the only assignee and a collaborating user on the advisory; the label is gone; a comment records the hand-off",
    check(w) {
      const issue = w.fake.issue(w.tracker, seen.tracking);
      must(issue.assignees.join() === "felixxm", `assignees: ${issue.assignees}`);
      must(!issue.labels.includes("claim"), "the claim label is still there");
      must(
        /@felixxm owns this report/.test(lastComment(w, w.tracker, seen.tracking)?.body ?? ""),
        "no hand-off comment",
      );
      const advisory = w.fake.advisory(w.project, seen.ghsa);
      must(
        advisory.collaborating_users.includes("felixxm"),
        `collaborating users: ${advisory.collaborating_users}`,
      );
      must(advisory.collaborating_teams.includes(w.team), "the team lost access to the advisory");
    },
  },
  {
    name: "Someone outside the team tries to claim it",
    async act(w) {
      await w.deliver(w.person("mallory").addLabel(w.tracker, seen.tracking, "claim"));
    },
    expected: "the label is removed with a comment saying why; @felixxm still owns the report",
    check(w) {
      const issue = w.fake.issue(w.tracker, seen.tracking);
      must(issue.assignees.join() === "felixxm", `assignees: ${issue.assignees}`);
      must(!issue.labels.includes("claim"), "the claim label is still there");
      must(
        /mallory/.test(lastComment(w, w.tracker, seen.tracking)?.body ?? ""),
        "no comment about the refused claim",
      );
      must(
        !w.fake.advisory(w.project, seen.ghsa).collaborating_users.includes("mallory"),
        "mallory can see the advisory",
      );
    },
  },
  {
    name: "A member asks the app for help in the tracking issue",
    async act(w) {
      await w.deliver(w.person("shaib").comment(w.tracker, seen.tracking, "/help"));
    },
    expected: "the app answers once with the table of commands",
    check(w) {
      const reply = lastComment(w, w.tracker, seen.tracking);
      must(reply?.user.login === w.fake.botLogin, "the app did not answer");
      must(
        reply.body.includes("| `/help` | this list | members |"),
        `the answer has no command table:\n${reply.body}`,
      );
    },
  },
  {
    name: "GitHub delivers the same webhook again",
    async act(w) {
      const last = w.lastDeliveries.at(-1);
      if (!last) throw new Error("nothing was delivered before");
      const again = await w.app.send(last.event, { id: last.delivery.id });
      must(again.status === 200, `the redelivery was answered ${again.status}`);
    },
    expected: "the app sees its answer is already there and writes nothing",
    check(w) {
      const answers = appComments(w, w.tracker, seen.tracking).filter((c) =>
        c.body.includes("| `/help` | this list |"),
      );
      must(answers.length === 1, `the app answered ${answers.length} times`);
    },
  },
  {
    name: "Someone outside the team tries a command",
    async act(w) {
      await w.deliver(w.person("mallory").comment(w.tracker, seen.tracking, "/release"));
    },
    expected: "the app refuses, naming who may run commands; nothing else changes",
    check(w) {
      const reply = lastComment(w, w.tracker, seen.tracking);
      must(reply?.user.login === w.fake.botLogin, "the app did not answer");
      must(/@mallory: refused/.test(reply.body), `the answer is not a refusal:\n${reply.body}`);
      must(w.fake.issue(w.tracker, seen.tracking).assignees.join() === "felixxm", "the owner changed");
    },
  },
  {
    name: "An onboarding member closes the report",
    at: "2026-11-23T10:00:00Z",
    async act(w) {
      await w.deliver(w.person("newperson").closeIssue(w.tracker, seen.tracking, "not_planned"));
    },
    expected: "the app reopens it with needs-sign-off and asks for a full member's /approve",
    check(w) {
      const issue = w.fake.issue(w.tracker, seen.tracking);
      must(issue.state === "open", `state: ${issue.state}`);
      must(issue.labels.includes("needs-sign-off"), `labels: ${issue.labels}`);
      must(/\/approve/.test(lastComment(w, w.tracker, seen.tracking)?.body ?? ""), "no request for /approve");
    },
  },
  {
    name: "A full member signs off",
    async act(w) {
      await w.deliver(w.person("shaib").comment(w.tracker, seen.tracking, "/approve"));
    },
    expected: "the app closes the report with the original reason (not planned) and removes needs-sign-off",
    check(w) {
      const issue = w.fake.issue(w.tracker, seen.tracking);
      must(
        issue.state === "closed" && issue.state_reason === "not_planned",
        `state: ${issue.state} ${issue.state_reason}`,
      );
      must(!issue.labels.includes("needs-sign-off"), `labels: ${issue.labels}`);
    },
  },
  {
    name: "A second report arrives and nobody acknowledges it",
    at: "2026-11-23T11:00:00Z",
    async act(w) {
      const events = w
        .person("jane-reporter")
        .reportVulnerability(w.project, { summary: "Path traversal in static()", severity: "medium" });
      seen.ghsa2 = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
      await w.deliver(events);
      seen.tracking2 = w.fake.issues(w.tracker).at(-1)?.number ?? 0;
    },
    expected: "a second tracking issue, assigned to the next triager in turn",
    check(w) {
      must(seen.tracking2 !== seen.tracking, "no second tracking issue");
      const first = w.fake.issue(w.tracker, seen.tracking).body;
      const assignee = w.fake.issue(w.tracker, seen.tracking2).assignees[0] ?? "";
      must(
        assignee && !first.includes(`triager:${assignee}`),
        `assigned to ${assignee || "nobody"}, the same triager`,
      );
    },
  },
  {
    name: "A member nominates someone and opens a charter pull request",
    at: "2026-11-24T10:00:00Z",
    async act(w) {
      const nominate = w.person("shaib").openIssue(w.charterRepo, {
        title: `Nomination: @${NOMINEE}`,
        body: `I nominate @${NOMINEE} to the security team.`,
      });
      seen.nomination = w.fake.issues(w.charterRepo).at(-1)?.number ?? 0;
      const text = charterWithNominee(w.fake.file(w.charterRepo, ".github/security-charter.yml") ?? "");
      const pull = w.person("shaib").openPullWithFile(w.charterRepo, {
        branch: `nominate-${NOMINEE}`,
        path: ".github/security-charter.yml",
        text,
        title: `Add @${NOMINEE} to the security team`,
        body: `Nomination: #${seen.nomination}`,
      });
      seen.pull = w.fake.repo(w.charterRepo).issues.size;
      await w.deliver([...nominate, ...pull]);
    },
    expected: "the `charter` check fails: the nomination is too recent and no full member has approved",
    check(w) {
      const run = charterRun(w);
      must(run, "no charter check on the pull request's head");
      must(run.conclusion === "failure", `conclusion: ${run.conclusion}`);
      must(run.output.summary?.includes(NOMINEE), "the check does not name the nominee");
    },
  },
  {
    name: "Three days pass: the sweep reminds the triagers",
    at: "2026-11-26T12:00:00Z",
    async act(w) {
      await sweepInstallation(await w.runtime());
    },
    expected:
      "one reminder to the triagers on the unacknowledged report (the app also creates the `stale` label it will need if the report is escalated)",
    check(w) {
      const reminders = appComments(w, w.tracker, seen.tracking2);
      must(reminders.length === 1, `${reminders.length} app comments`);
      must(/not been acknowledged/.test(reminders[0]?.body ?? ""), `not a reminder:\n${reminders[0]?.body}`);
    },
  },
  {
    name: "The sweep runs again the same day",
    async act(w) {
      await sweepInstallation(await w.runtime());
    },
    expected: "nothing new: one comment per stage, ever",
    check(w) {
      must(appComments(w, w.tracker, seen.tracking2).length === 1, "a second reminder");
    },
  },
  {
    name: "Two weeks pass and a full member approves",
    at: "2026-12-08T10:00:00Z",
    async act(w) {
      await w.deliver(w.person("sarahboyce").review(w.charterRepo, seen.pull, "APPROVED", "Welcome!"));
    },
    expected: "the `charter` check succeeds",
    check(w) {
      const run = charterRun(w);
      must(run?.conclusion === "success", `conclusion: ${run?.conclusion}\n${run?.output.summary ?? ""}`);
    },
  },
  {
    name: "The pull request is merged",
    async act(w) {
      await w.deliver(w.person("sarahboyce").merge(w.charterRepo, seen.pull));
    },
    expected: `the team is synced: @${NOMINEE} is invited to the team (not yet in the org), nobody else changes`,
    check(w) {
      const invited = w.fake.teamInvitations(w.org, w.team).map((i) => i.login);
      must(invited.includes(NOMINEE), `invitations: ${invited}`);
      const members = w.fake.teamMembers(w.org, w.team).map((m) => m.login);
      must(members.length === w.charter.members.length, `team members: ${members}`);
    },
  },
  {
    name: "Someone adds a person to the team by hand",
    at: "2026-12-09T08:00:00Z",
    async act(w) {
      await w.deliver(w.person("nessita").addToTeam(w.org, w.team, "mallory"));
    },
    expected:
      "the change is reverted, and an issue in the charter repo says who did what and how to change membership",
    check(w) {
      const members = w.fake.teamMembers(w.org, w.team).map((m) => m.login);
      must(!members.includes("mallory"), "mallory is still in the team");
      const issue = w.fake.issues(w.charterRepo).find((i) => i.user.login === w.fake.botLogin);
      must(issue, "no issue in the charter repo");
      must(
        /nessita/.test(issue.body) && /mallory/.test(issue.body),
        `the issue does not say who did what:\n${issue.body}`,
      );
    },
  },
  {
    name: "A member leaves the team themselves",
    at: "2026-12-10T09:00:00Z",
    async act(w) {
      await w.deliver(w.person(LEAVER).removeFromTeam(w.org, w.team, LEAVER));
    },
    expected: `@${LEAVER} is not added back; one charter pull request removes them, written as a self-removal, with a comment mentioning them and the chairs`,
    check(w) {
      const members = w.fake.teamMembers(w.org, w.team).map((m) => m.login);
      must(!members.includes(LEAVER), `@${LEAVER} was added back`);
      const pull = [...w.fake.repo(w.charterRepo).issues.values()].find((i) =>
        i.pull?.head.startsWith(`security-team/leave-${LEAVER}-`),
      );
      must(pull, "no leave pull request");
      seen.leave = pull.number;
      must(/self-removal/.test(pull.body), `not written as a self-removal:\n${pull.body}`);
      const comment = pull.comments[0]?.body ?? "";
      must(
        comment.startsWith(`@${LEAVER}:`) && /@sarahboyce @jacobtylerwalls/.test(comment),
        `the comment does not mention them and the chairs:\n${comment}`,
      );
    },
  },
  {
    name: "They approve their own removal and a chair merges it",
    async act(w) {
      await w.deliver(w.person(LEAVER).review(w.charterRepo, seen.leave, "APPROVED"));
      const head = w.fake.issue(w.charterRepo, seen.leave).pull?.headSha ?? "";
      seen.leaveCheck = w.fake.checkRuns(w.charterRepo, head).at(-1)?.conclusion ?? "";
      await w.deliver(w.person("sarahboyce").merge(w.charterRepo, seen.leave));
    },
    expected:
      "the `charter` check passes it as their own removal; merged, the team already agrees: no team write",
    check(w) {
      must(seen.leaveCheck === "success", `charter check: ${seen.leaveCheck}`);
      const members = w.fake.teamMembers(w.org, w.team).map((m) => m.login);
      must(!members.includes(LEAVER), `@${LEAVER} is in the team again`);
    },
  },
  {
    name: "A month passes: the sweep escalates",
    at: "2026-12-24T12:00:00Z",
    async act(w) {
      await sweepInstallation(await w.runtime());
    },
    expected:
      "the idle owner is asked for an update, the chairs are mentioned and the report is labelled stale; December's sweep also opens the annual reaffirmation issue, where each member replies /reaffirm",
    check(w) {
      const issue = w.fake.issue(w.tracker, seen.tracking2);
      must(issue.labels.includes("stale"), `labels: ${issue.labels}`);
      const last = lastComment(w, w.tracker, seen.tracking2)?.body ?? "";
      must(
        /@sarahboyce/.test(last) && /@jacobtylerwalls/.test(last),
        `the chairs are not mentioned:\n${last}`,
      );
      const reaffirmation = [w.charterRepo, w.tracker].flatMap((repo) =>
        w.fake.issues(repo).filter((i) => /reaffirmation/i.test(i.title)),
      );
      must(reaffirmation.length === 1, `${reaffirmation.length} reaffirmation issues`);
    },
    shows(w) {
      // The escalation paragraph of the reminder: the transcript line above is cut before the chairs.
      const last = lastComment(w, w.tracker, seen.tracking2)?.body ?? "";
      const paragraph = last.split(/\n\s*\n/).find((p) => p.includes("@sarahboyce")) ?? "";
      return [`"${paragraph.split(". ")[0]}."`];
    },
  },
  {
    name: "A third report arrives: the tracker is the control room",
    at: "2026-12-28T09:00:00Z",
    async act(w) {
      const events = w.person("jane-reporter").reportVulnerability(w.project, {
        summary: "Path traversal in FileSystemStorage with crafted names",
        description: "Details only the team may read.",
      });
      seen.ghsa3 = (events[0]?.payload.repository_advisory as { ghsa_id: string }).ghsa_id;
      await w.deliver(events);
      const issue = w.fake.issues(w.tracker).find((i) => i.body.includes(seen.ghsa3));
      seen.tracking3 = issue?.number ?? 0;
      const comment = (login: string, text: string) =>
        w.person(login).comment(w.tracker, seen.tracking3, text);
      await w.deliver(comment("shaib", "/accept"));
      await w.deliver(comment("shaib", "/cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"));
      await w.deliver(comment("shaib", "/cwe CWE-22"));
      await w.deliver(comment("shaib", "/credit @jane-reporter finder"));
      await w.deliver(comment("shaib", "/cve"));
    },
    expected:
      "@shaib accepts, scores, classifies, credits and asks for a CVE from the tracking issue; the advisory has them all and the issue's body shows them",
    check(w) {
      const advisory = w.fake.advisory(w.project, seen.ghsa3);
      must(advisory.state === "draft", `state: ${advisory.state}`);
      must(advisory.cvss_vector?.startsWith("CVSS:3.1/") === true, `CVSS: ${advisory.cvss_vector}`);
      must(advisory.cwe_ids?.join() === "CWE-22", `CWEs: ${advisory.cwe_ids}`);
      must(
        advisory.credits?.some((c) => c.login === "jane-reporter") === true,
        "jane-reporter is not credited",
      );
      must(Boolean(advisory.cve_id), "no CVE id");
      const body = w.fake.issue(w.tracker, seen.tracking3).body;
      must(body.includes(`| CVE | ${advisory.cve_id} |`), `the issue does not show the CVE:\n${body}`);
    },
  },
  {
    name: "Publishing takes two full members",
    async act(w) {
      await w.deliver(w.person("shaib").comment(w.tracker, seen.tracking3, "/publish"));
    },
    expected:
      "@shaib's /publish is recorded and waits for another full member; the advisory is still a draft",
    check(w) {
      must(w.fake.advisory(w.project, seen.ghsa3).state === "draft", "published by one person");
      must(
        /waits for a full member other than @shaib/.test(
          lastComment(w, w.tracker, seen.tracking3)?.body ?? "",
        ),
        "no request for a second member",
      );
    },
  },
  {
    name: "A second full member approves the publication",
    async act(w) {
      await w.deliver(w.person("sarahboyce").comment(w.tracker, seen.tracking3, "/approve"));
    },
    expected: "the advisory is published; the tracking issue shows it and needs-sign-off is gone",
    check(w) {
      must(w.fake.advisory(w.project, seen.ghsa3).state === "published", "not published");
      const issue = w.fake.issue(w.tracker, seen.tracking3);
      must(issue.body.includes("| State | published |"), `the body does not show it:\n${issue.body}`);
      must(!issue.labels.includes("needs-sign-off"), `labels: ${issue.labels}`);
    },
  },
];
