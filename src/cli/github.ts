import { readFileSync } from "node:fs";
import { Probot } from "probot";
import { createRuntime, type Runtime } from "../core/context.js";
import type { GitHub } from "../core/executor.js";
import { type Identity, identityResolver } from "../core/identity.js";
import { cliLogger } from "../core/logger.js";

/**
 * The CLI's runtime for one org: the same runtime the webhooks get, authenticated either as the app
 * (APP_ID + PRIVATE_KEY/PRIVATE_KEY_PATH, the org's installation) or with GITHUB_TOKEN.
 * GHE_HOST/GHE_PROTOCOL point it at GitHub Enterprise Cloud with data residency.
 */
export async function cliRuntime(
  org: string,
  env: NodeJS.ProcessEnv,
  dryRun: boolean,
  options: { appOnly?: boolean } = {},
): Promise<Runtime> {
  // Reports, reminders and markers are trusted only as the app's own writing; a personal token
  // cannot tell which those are, so commands that read or write them need the app's credentials.
  if (options.appOnly && !(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH))) {
    throw new Error(
      "needs the app's credentials (APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH), not GITHUB_TOKEN",
    );
  }
  const log = cliLogger(env);
  const baseUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` : undefined;
  const base = { log, ...(baseUrl ? { baseUrl } : {}) };
  let octokit: GitHub;
  let self: () => Promise<Identity>;
  if (env.GITHUB_TOKEN && !options.appOnly) {
    const probot = new Probot({ ...base, githubToken: env.GITHUB_TOKEN });
    octokit = await probot.auth();
    let login: Promise<Identity> | undefined;
    self = () => {
      login ??= octokit.rest.users.getAuthenticated().then(({ data }) => ({ login: data.login }));
      return login;
    };
  } else if (env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    const privateKey = env.PRIVATE_KEY ?? readFileSync(env.PRIVATE_KEY_PATH as string, "utf8");
    const probot = new Probot({ ...base, appId: env.APP_ID, privateKey: decodeKey(privateKey) });
    const app = await probot.auth();
    const { data: installation } = await app.rest.apps.getOrgInstallation({ org });
    octokit = await probot.auth(installation.id);
    self = identityResolver(() => probot.auth());
  } else {
    throw new Error("no credentials: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH");
  }
  return createRuntime({ octokit, log, org, env, self, dryRun });
}

/** Probot accepts a base64-encoded key in PRIVATE_KEY (single-line environments). */
function decodeKey(key: string): string {
  return key.includes("-----BEGIN") ? key : Buffer.from(key, "base64").toString("utf8");
}
