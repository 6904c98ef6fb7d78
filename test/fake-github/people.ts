import { example, merge } from "../helpers/payloads.js";
import type { FakeGitHub, FakeIssue, FakeRepo, FakeReview } from "./fake-github.js";
import type { WebhookEvent } from "./webhooks.js";

/**
 * What people do on GitHub: each action changes the fake's state the way GitHub would, records a
 * line in the transcript, and returns the webhook(s) GitHub would send the app, built from GitHub's
 * own example payloads with this state merged in. Deliver them with `webhookSender(...).deliver`.
 */
export function as(fake: FakeGitHub, login: string) {
  const sender = () => fake.userJson(login);
  const around = (repo: FakeRepo) => {
    const org = fake.orgs.get(repo.owner.toLowerCase());
    return {
      repository: fake.repoJson(repo),
      organization: merge((example("membership", "added") as { organization: unknown }).organization, {
        login: repo.owner,
        id: org?.id ?? 1,
      }),
      installation: { id: org?.installationId ?? 42, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
      sender: sender(),
    };
  };
  const event = (
    name: string,
    action: string | undefined,
    repo: FakeRepo,
    fields: Record<string, unknown>,
  ) => ({
    name,
    payload: { ...exampleOf(name, action), ...around(repo), ...fields },
  });
  const issueOf = (fullName: string, number: number): [FakeRepo, FakeIssue] => [
    fake.repo(fullName),
    fake.issue(fullName, number),
  ];

  const openPull = (
    repo: FakeRepo,
    pull: {
      branch: string;
      base: string;
      headSha: string;
      files: Record<string, string | null>;
      title: string;
      body?: string;
      fork?: string;
    },
  ): WebhookEvent[] => {
    const issue = fake.addIssue(`${repo.owner}/${repo.name}`, {
      title: pull.title,
      body: pull.body ?? "",
      author: login,
      pull: {
        head: pull.branch,
        base: pull.base,
        ...(pull.fork ? { fork: pull.fork } : {}),
        headSha: pull.headSha,
        merged: false,
        files: pull.files,
        reviews: [],
      },
    });
    const from = pull.fork ? `${pull.fork}:${pull.branch}` : pull.branch;
    fake.record(
      login,
      `opened pull request ${repo.name}#${issue.number} "${pull.title}" (${from} → ${pull.base})`,
    );
    return [
      event("pull_request", "opened", repo, {
        action: "opened",
        number: issue.number,
        pull_request: fake.pullJson(repo, issue),
      }),
    ];
  };

  return {
    login,

    openIssue(fullName: string, issue: { title: string; body?: string; labels?: string[] }): WebhookEvent[] {
      const repo = fake.repo(fullName);
      const created = fake.addIssue(fullName, { ...issue, author: login });
      fake.record(login, `opened ${repo.name}#${created.number} "${created.title}"`);
      return [event("issues", "opened", repo, { action: "opened", issue: fake.issueJson(repo, created) })];
    },

    comment(fullName: string, number: number, body: string): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      const comment = fake.addComment(issue, login, body);
      fake.record(login, `commented on ${repo.name}#${number}: "${body.split("\n")[0]}"`);
      return [
        event("issue_comment", "created", repo, {
          action: "created",
          issue: fake.issueJson(repo, issue),
          comment: fake.commentJson(repo, issue, comment),
        }),
      ];
    },

    addLabel(fullName: string, number: number, label: string): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      fake.ensureLabel(repo, label);
      if (!issue.labels.includes(label)) issue.labels.push(label);
      issue.updated_at = fake.stamp();
      fake.record(login, `labelled ${repo.name}#${number} "${label}"`);
      return [
        event("issues", "labeled", repo, {
          action: "labeled",
          issue: fake.issueJson(repo, issue),
          label: fake.labelJson(repo, label),
        }),
      ];
    },

    removeLabel(fullName: string, number: number, label: string): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      issue.labels = issue.labels.filter((l) => l.toLowerCase() !== label.toLowerCase());
      issue.updated_at = fake.stamp();
      fake.record(login, `unlabelled ${repo.name}#${number} "${label}"`);
      return [
        event("issues", "unlabeled", repo, {
          action: "unlabeled",
          issue: fake.issueJson(repo, issue),
          label: fake.labelJson(repo, label),
        }),
      ];
    },

    /** A comment on an advisory (the reporter's conversation with the team; no webhook exists for it). */
    commentOnAdvisory(fullName: string, ghsaId: string, body: string): void {
      const advisory = fake.advisory(fullName, ghsaId);
      fake.addAdvisoryComment(advisory, login, body);
      fake.record(login, `commented on advisory ${ghsaId}: "${body.split("\n")[0]}"`);
    },

    closeIssue(
      fullName: string,
      number: number,
      reason: "completed" | "not_planned" = "completed",
    ): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      issue.state = "closed";
      issue.state_reason = reason;
      issue.closed_at = fake.stamp();
      issue.closed_by = login;
      issue.updated_at = issue.closed_at;
      fake.record(login, `closed ${repo.name}#${number} (${reason})`);
      return [event("issues", "closed", repo, { action: "closed", issue: fake.issueJson(repo, issue) })];
    },

    /** A private vulnerability report: an advisory in `triage` authored by this person. */
    reportVulnerability(
      fullName: string,
      report: { summary: string; description?: string; severity?: "critical" | "high" | "medium" | "low" },
    ): WebhookEvent[] {
      const repo = fake.repo(fullName);
      const advisory = fake.addAdvisory(fullName, { ...report, author: login, state: "triage" });
      fake.record(login, `privately reported ${advisory.ghsa_id} in ${repo.name}`);
      return [
        {
          name: "repository_advisory",
          payload: {
            action: "reported",
            repository_advisory: fake.advisoryJson(repo, advisory),
            ...around(repo),
          },
        },
      ];
    },

    /** Someone changes the team by hand in GitHub's UI (not through the charter). */
    addToTeam(
      org: string,
      slug: string,
      member: string,
      role: "member" | "maintainer" = "member",
    ): WebhookEvent[] {
      fake.addTeamMember(org, slug, member, role);
      fake.record(login, `added @${member} to ${slug} by hand`);
      return [membershipEvent("added", org, slug, member)];
    },

    removeFromTeam(org: string, slug: string, member: string): WebhookEvent[] {
      fake.team(org, slug).members.delete(member.toLowerCase());
      fake.record(login, `removed @${member} from ${slug} by hand`);
      return [membershipEvent("removed", org, slug, member)];
    },

    /** Accepts the pending invitation to `org`: a member of the org and of every team that invited them. */
    acceptInvitation(org: string): WebhookEvent[] {
      fake.org(org).members.add(login.toLowerCase());
      const events: WebhookEvent[] = [];
      for (const team of fake.org(org).teams.values()) {
        const invitation = team.invitations.get(login.toLowerCase());
        if (!invitation) continue;
        team.invitations.delete(login.toLowerCase());
        team.members.set(login.toLowerCase(), { login, role: invitation.role });
        events.push(membershipEvent("added", org, team.slug, login));
      }
      fake.record(login, `accepted the invitation to ${org}`);
      return events;
    },

    /** Closes a pull request without merging it. */
    closePull(fullName: string, number: number): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      if (!issue.pull) throw new Error(`fake GitHub: #${number} is not a pull request`);
      issue.state = "closed";
      issue.closed_at = fake.stamp();
      issue.updated_at = issue.closed_at;
      fake.record(login, `closed pull request ${repo.name}#${number} without merging`);
      return [
        event("pull_request", "closed", repo, {
          action: "closed",
          number,
          pull_request: fake.pullJson(repo, issue),
        }),
      ];
    },

    /**
     * Pushes a branch changing one file and opens a pull request from it, into the default branch
     * or `base`. With `fork` (`owner/repo`, which must exist) the branch is in that fork: its
     * commits are reachable in the base repository, as GitHub keeps them under `refs/pull/N/head`.
     * `files` lists more changed paths (their text is not kept).
     */
    openPullWithFile(
      fullName: string,
      pull: {
        branch: string;
        path: string;
        text: string;
        title: string;
        body?: string;
        base?: string;
        fork?: string;
        files?: string[];
      },
    ): WebhookEvent[] {
      const repo = fake.repo(fullName);
      const base = pull.base ?? repo.defaultBranch;
      repo.branches.set(pull.branch, repo.branches.get(base) as string);
      const headSha = fake.setFile(fullName, pull.path, pull.text, pull.branch, { login, verified: false });
      const files: Record<string, string | null> = { [pull.path]: pull.text };
      for (const path of pull.files ?? []) files[path] = "";
      return openPull(repo, { ...pull, base, headSha, files });
    },

    /**
     * Pushes a commit changing one file to `branch` (created from the default branch when it does not
     * exist), without a pull request. `as` is the login the commit's e-mail maps to (the pusher's when
     * omitted): anyone can write the bot's e-mail into a commit, but only GitHub signs as the bot.
     */
    pushFile(
      fullName: string,
      push: { branch: string; path: string; text: string; as?: string },
    ): WebhookEvent[] {
      const repo = fake.repo(fullName);
      const before = repo.branches.get(push.branch);
      if (!before) repo.branches.set(push.branch, repo.branches.get(repo.defaultBranch) as string);
      const after = fake.setFile(fullName, push.path, push.text, push.branch, {
        login: push.as ?? login,
        verified: false,
      });
      fake.record(login, `pushed ${repo.name}@${push.branch}`);
      const commit = {
        ...(example("push") as { head_commit: Record<string, unknown> }).head_commit,
        id: after,
        message: `Edit ${push.path}`,
        added: [],
        removed: [],
        modified: [push.path],
      };
      return [
        event("push", undefined, repo, {
          ref: `refs/heads/${push.branch}`,
          before: before ?? "0".repeat(40),
          after,
          created: before === undefined,
          commits: [commit],
          head_commit: commit,
          pusher: { name: login, email: null },
        }),
      ];
    },

    /** Opens another pull request from an existing branch (its head commit as it is) into `base`. */
    openPullFromBranch(
      fullName: string,
      pull: { branch: string; base: string; title: string; body?: string; fork?: string },
    ): WebhookEvent[] {
      const repo = fake.repo(fullName);
      const headSha = repo.branches.get(pull.branch);
      if (!headSha) throw new Error(`fake GitHub: no branch ${pull.branch} in ${fullName}`);
      const before = fake.tree(repo, pull.base) ?? new Map<string, string>();
      const after = fake.tree(repo, headSha) ?? new Map<string, string>();
      const files: Record<string, string | null> = {};
      for (const [path, text] of after) if (before.get(path) !== text) files[path] = text;
      return openPull(repo, { ...pull, headSha, files });
    },

    review(fullName: string, number: number, state: FakeReview["state"], body = ""): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      if (!issue.pull) throw new Error(`fake GitHub: #${number} is not a pull request`);
      const review: FakeReview = {
        id: fake.id(),
        user: fake.user(login),
        state,
        body,
        submitted_at: fake.stamp(),
        commit_id: issue.pull.headSha,
      };
      issue.pull.reviews.push(review);
      fake.record(login, `reviewed ${repo.name}#${number}: ${state}${body ? ` "${body}"` : ""}`);
      const json = fake.reviewJson(repo, issue, review);
      return [
        event("pull_request_review", "submitted", repo, {
          action: "submitted",
          review: { ...json, state: state.toLowerCase() }, // webhooks spell review states in lowercase
          pull_request: fake.pullJson(repo, issue),
        }),
      ];
    },

    /** Merges a pull request: the base branch moves to the head commit; `closed` then `push`. */
    merge(fullName: string, number: number): WebhookEvent[] {
      const [repo, issue] = issueOf(fullName, number);
      const pull = issue.pull;
      if (!pull) throw new Error(`fake GitHub: #${number} is not a pull request`);
      const before = repo.branches.get(pull.base) as string;
      repo.branches.set(pull.base, pull.headSha);
      pull.merged = true;
      issue.state = "closed";
      issue.closed_at = fake.stamp();
      fake.record(login, `merged ${repo.name}#${number} into ${pull.base}`);
      const push = example("push") as {
        commits: Record<string, unknown>[];
        head_commit: Record<string, unknown>;
      };
      const commit = {
        ...push.head_commit,
        id: pull.headSha,
        message: issue.title,
        added: [],
        removed: Object.keys(pull.files).filter((f) => pull.files[f] === null),
        modified: Object.keys(pull.files).filter((f) => pull.files[f] !== null),
      };
      return [
        event("pull_request", "closed", repo, {
          action: "closed",
          number,
          pull_request: fake.pullJson(repo, issue),
        }),
        event("push", undefined, repo, {
          ref: `refs/heads/${pull.base}`,
          before,
          after: pull.headSha,
          commits: [commit],
          head_commit: commit,
          pusher: { name: login, email: null },
        }),
      ];
    },
  };

  function membershipEvent(
    action: "added" | "removed",
    org: string,
    slug: string,
    member: string,
  ): WebhookEvent {
    const base = example("membership", action === "added" ? "added" : undefined) as Record<string, unknown>;
    const team = fake.team(org, slug);
    const orgState = fake.org(org);
    return {
      name: "membership",
      payload: {
        ...base,
        action,
        scope: "team",
        member: fake.userJson(member),
        sender: sender(),
        team: merge(base.team, { id: team.id, slug: team.slug, name: team.slug }),
        organization: merge(base.organization, { login: orgState.login, id: orgState.id }),
        installation: { id: orgState.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
      },
    };
  }
}

export type Person = ReturnType<typeof as>;

/** GitHub's example payload for `name.action`, or another action's (some, like `issues.closed`, have none). */
function exampleOf(name: string, action: string | undefined): Record<string, unknown> {
  try {
    return example(name, action);
  } catch {
    return example(name);
  }
}
