import type { GitHub } from "./executor.js";

/** Who the app is on GitHub, to ignore its own events and trust only its own markers. */
export interface Identity {
  appId?: number;
  /** `slug[bot]` for an app installation; the user's login when the CLI runs with a personal token. */
  login: string;
}

interface Authored {
  user?: { login?: string } | null;
}

/**
 * Whether the app wrote `item`: its author is the app's own account (`slug[bot]`, which only the app's
 * installation tokens write as). `performed_via_github_app` alone is not enough: a person's
 * user-to-server token for the app writes under their own login with the app's id there, and that
 * person's markers must not be trusted.
 */
export function isOwn(item: Authored, self: Identity): boolean {
  return item.user?.login?.toLowerCase() === self.login.toLowerCase();
}

/** A commit as GitHub's commit and compare APIs show it. */
export interface CommitRead {
  author?: { login?: string } | null;
  committer?: { login?: string } | null;
  commit: { verification?: { verified?: boolean } | null };
}

/**
 * Whether the app made `commit` (through the contents API). The logins come from the commit's e-mail
 * addresses, which anyone can write into a commit they push, so GitHub must also have verified its
 * signature: it signs the commits an installation makes through the API, and no one else can sign
 * as `slug[bot]`.
 */
export function isOwnCommit(commit: CommitRead, self: Identity): boolean {
  const own = (who: { login?: string } | null | undefined) =>
    who?.login?.toLowerCase() === self.login.toLowerCase();
  return own(commit.author) && own(commit.committer) && commit.commit.verification?.verified === true;
}

export function isSelf(sender: { login?: string } | null | undefined, self: Identity): boolean {
  return sender?.login?.toLowerCase() === self.login.toLowerCase();
}

/** Reads the app's slug once (`GET /app`, authenticated as the app) and remembers it. */
export function identityResolver(appOctokit: () => Promise<GitHub>): () => Promise<Identity> {
  let pending: Promise<Identity> | undefined;
  return () => {
    pending ??= appOctokit()
      .then(async (octokit) => {
        const { data } = await octokit.rest.apps.getAuthenticated();
        if (!data) throw new Error("GET /app returned nothing");
        return { appId: data.id, login: `${data.slug}[bot]` };
      })
      .catch((error) => {
        pending = undefined; // try again on the next event
        throw error;
      });
    return pending;
  };
}
