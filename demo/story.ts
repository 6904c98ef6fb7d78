import { must, type Step } from "./harness.js";
import type { World } from "./world.js";

/**
 * The story `npm run demo` plays, in order. Each step: when (optional), what people do on GitHub,
 * and what the team should then see. People and times follow `config/charter.example.yml`, as of
 * 2026-11-22: sarahboyce chairs, jacobtylerwalls co-chairs and triages, shaib and felixxm triage,
 * newperson joined on 2026-10-20 and is onboarding until 2026-12-20; mallory is not on the team.
 */

const lastComment = (w: World, number: number) => w.fake.issue(w.tracker, number).comments.at(-1);
const appComments = (w: World, number: number) =>
  w.fake.issue(w.tracker, number).comments.filter((c) => c.user.login === w.fake.botLogin);

/** The issue the command steps talk in (a tracking issue, once report intake is in the story). */
let issue = 0;

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
    name: "A triager opens an issue in the private tracker and asks the app for help",
    async act(w) {
      const opened = w
        .person("shaib")
        .openIssue(w.tracker, { title: "Coordinating the 5.2.x security release" });
      issue = w.fake.issues(w.tracker).at(-1)?.number ?? 0;
      await w.deliver([...opened, ...w.person("shaib").comment(w.tracker, issue, "/help")]);
    },
    expected: "the app answers once with the table of commands members can use here",
    check(w) {
      const reply = lastComment(w, issue);
      must(reply?.user.login === w.fake.botLogin, "the app did not answer");
      must(
        reply.body.includes("| `/help` | this list | members |"),
        `the answer has no command table:\n${reply.body}`,
      );
    },
  },
  {
    name: "Someone outside the team tries a command",
    async act(w) {
      await w.deliver(w.person("mallory").comment(w.tracker, issue, "/claim"));
    },
    expected: "the app refuses, naming who may run commands; nothing else changes",
    check(w) {
      const reply = lastComment(w, issue);
      must(reply?.user.login === w.fake.botLogin, "the app did not answer");
      must(/@mallory: refused/.test(reply.body), `the answer is not a refusal:\n${reply.body}`);
      must(w.fake.issue(w.tracker, issue).assignees.length === 0, "the outsider was assigned");
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
      const refusals = appComments(w, issue).filter((c) => c.body.includes("@mallory: refused"));
      must(refusals.length === 1, `the app answered ${refusals.length} times`);
    },
  },
  {
    name: "A member mistypes a command",
    async act(w) {
      await w.deliver(w.person("felixxm").comment(w.tracker, issue, "/clam"));
    },
    expected: "the app says it does not know `/clam` and lists the commands",
    check(w) {
      const reply = lastComment(w, issue);
      must(reply?.user.login === w.fake.botLogin, "the app did not answer");
      must(reply.body.includes("unknown command `/clam`"), `unexpected answer:\n${reply.body}`);
    },
  },

  // The rest of the story, added as the features land (each a Step like the ones above; times are
  // suggestions on the same clock, all checks against `w.fake`):
  //
  // - "A private report arrives" (day 0, 09:00): person("reporter").reportVulnerability(w.project, …)
  //   → one tracking issue in w.tracker labelled `security-report` with the GHSA marker, a triager
  //   assigned in turn, the team a collaborating team on the advisory. Then point the command steps
  //   above at this issue instead of opening one by hand.
  // - "A member claims it by label" (day 0): person("felixxm").addLabel(w.tracker, n, "claim")
  //   → assignee felixxm, label removed, hand-off comment, felixxm a collaborating user.
  // - "An outsider's claim is refused" (day 0): person("mallory").addLabel(…, "claim")
  //   → label removed, comment, assignee unchanged.
  // - "An onboarding member closes a report; a full member signs off" (day 1):
  //   person("newperson").closeIssue(…) → reopened with `needs-sign-off`; person("shaib").comment(…,
  //   "/approve") → closed with the same reason.
  // - "Days pass; reminders escalate" (days 3, 8, 23, 31): run the sweep (CLI `sweep` against
  //   w.fake.baseUrl, or the sweep's scheduled entry point) → one reminder per stage, then the chairs
  //   mentioned and `stale` added; a second sweep on the same day writes nothing.
  // - "A config PR nominates someone" (day 2): person("shaib").openIssue(w.charterRepo, nomination);
  //   person("shaib").openPullWithFile(w.charterRepo, { path: DEFAULT_CHARTER_PATH, text: charter
  //   with a new member, body: "Nomination: #n" }) → `charter` check failure (window not passed).
  // - "The window passes and approvals arrive" (day 16): person("sarahboyce").review(…, "APPROVED")
  //   → `charter` check success.
  // - "Merge: the team is synced" (day 16): person("sarahboyce").merge(…) → pull_request.closed + push;
  //   w.fake.teamMembers/teamInvitations include the nominee.
  // - "Someone adds a person by hand; drift reverted" (day 17): person("sarahboyce").addToTeam(w.org,
  //   w.team, "mallory") → mallory removed again, a comment or issue says who did what and how to
  //   change membership properly.
];
