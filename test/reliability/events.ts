import type { WebhookEvent } from "../fake-github/index.js";
import { example, merge } from "../helpers/payloads.js";
import type { World } from "./world.js";

/**
 * Webhooks the fake's people helpers do not make (GitHub or the app is the actor, or a second
 * action on the same object), built from GitHub's example payloads with the fake's state merged in.
 */

function exampleOf(name: string, action?: string): Record<string, unknown> {
  try {
    return example(name, action);
  } catch {
    return example(name);
  }
}

export function around(w: World, fullName: string, sender: string): Record<string, unknown> {
  const repo = w.fake.repo(fullName);
  const org = w.fake.org(repo.owner);
  return {
    repository: w.fake.repoJson(repo),
    organization: merge((example("membership", "added") as { organization: unknown }).organization, {
      login: org.login,
      id: org.id,
    }),
    installation: { id: org.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" },
    sender: w.fake.userJson(sender),
  };
}

export function repoEvent(
  w: World,
  name: string,
  action: string,
  fullName: string,
  sender: string,
  fields: Record<string, unknown>,
): WebhookEvent {
  return { name, payload: { ...exampleOf(name, action), ...around(w, fullName, sender), action, ...fields } };
}

/** The advisory moves to `state` on GitHub; `published` is the one of these GitHub sends a webhook for. */
export function advisoryEvent(
  w: World,
  fullName: string,
  ghsa: string,
  action: "reported" | "published",
): WebhookEvent {
  const repo = w.fake.repo(fullName);
  const advisory = w.fake.advisory(fullName, ghsa);
  return {
    name: "repository_advisory",
    payload: {
      action,
      repository_advisory: w.fake.advisoryJson(repo, advisory),
      ...around(w, fullName, advisory.author ?? "sarahboyce"),
    },
  };
}

export function publish(w: World, fullName: string, ghsa: string): WebhookEvent {
  const advisory = w.fake.advisory(fullName, ghsa);
  advisory.state = "published";
  advisory.published_at = w.fake.stamp();
  advisory.updated_at = advisory.published_at;
  const event = advisoryEvent(w, fullName, ghsa, "published");
  event.payload.sender = w.fake.userJson("sarahboyce");
  return event;
}

export function pullEvent(w: World, fullName: string, number: number, action: string, sender: string) {
  const repo = w.fake.repo(fullName);
  const issue = w.fake.issue(fullName, number);
  return repoEvent(w, "pull_request", action, fullName, sender, {
    number,
    pull_request: w.fake.pullJson(repo, issue),
    ...(action === "edited" ? { changes: { body: { from: "" } } } : {}),
    ...(action === "synchronize" ? { before: issue.pull?.headSha, after: issue.pull?.headSha } : {}),
  });
}

/** A review dismissed by `sender` (state on GitHub changes first, as it does). */
export function dismissReview(w: World, fullName: string, number: number, reviewId: number, sender: string) {
  const repo = w.fake.repo(fullName);
  const issue = w.fake.issue(fullName, number);
  const review = issue.pull?.reviews.find((r) => r.id === reviewId);
  if (!review) throw new Error(`no review ${reviewId} on #${number}`);
  review.state = "DISMISSED";
  return repoEvent(w, "pull_request_review", "dismissed", fullName, sender, {
    review: { ...w.fake.reviewJson(repo, issue, review), state: "dismissed" },
    pull_request: w.fake.pullJson(repo, issue),
  });
}

export function rerequest(w: World, fullName: string, checkName: string, sender: string): WebhookEvent {
  const repo = w.fake.repo(fullName);
  const run = w.fake.checkRuns(fullName).findLast((r) => r.name === checkName);
  if (!run) throw new Error(`no ${checkName} run in ${fullName}`);
  return repoEvent(w, "check_run", "rerequested", fullName, sender, {
    check_run: w.fake.checkRunJson(repo, run),
  });
}

export function installationCreated(w: World): WebhookEvent {
  const org = w.fake.org("django");
  const base = exampleOf("installation", "created");
  return {
    name: "installation",
    payload: {
      ...base,
      action: "created",
      installation: w.fake.installationJson(org),
      repositories: [{ id: 1, node_id: "R_1", name: ".github", full_name: "django/.github", private: false }],
      sender: w.fake.userJson("sarahboyce"),
    },
  };
}

export function installationRepositoriesAdded(w: World): WebhookEvent {
  const org = w.fake.org("django");
  const base = exampleOf("installation_repositories", "added");
  return {
    name: "installation_repositories",
    payload: {
      ...base,
      action: "added",
      installation: w.fake.installationJson(org),
      repositories_added: [
        { id: 1, node_id: "R_1", name: ".github", full_name: "django/.github", private: false },
      ],
      repositories_removed: [],
      sender: w.fake.userJson("sarahboyce"),
    },
  };
}
