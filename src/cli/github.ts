import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { Probot } from "probot";
import { createRuntime, type Runtime } from "../context.js";
import { ConfigError } from "../core/config.js";
import type { GitHub } from "../core/executor.js";
import { type Identity, identityResolver } from "../core/identity.js";
import { cliLogger } from "../core/logger.js";

/**
 * The CLI's runtime for one org: the same runtime the webhooks get, authenticated either as the app
 * (APP_ID + PRIVATE_KEY/PRIVATE_KEY_PATH, the org's installation) or with GITHUB_TOKEN.
 */
export async function cliRuntime(
  org: string,
  env: NodeJS.ProcessEnv,
  dryRun: boolean,
  options: { appOnly?: boolean } = {},
): Promise<Runtime> {
  const app = appCredentials(env);
  // Reports, reminders and markers are trusted only as the app's own writing; a personal token
  // cannot tell which those are, so commands that read or write them need the app's credentials.
  if (options.appOnly && !app) {
    throw new ConfigError(
      "needs the app's credentials: set APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (in .env or the environment); GITHUB_TOKEN is not enough",
    );
  }
  const log = cliLogger(env);
  let octokit: GitHub;
  let self: () => Promise<Identity>;
  if (env.GITHUB_TOKEN && !options.appOnly) {
    const probot = new Probot({ ...clientOptions(env, log), githubToken: env.GITHUB_TOKEN });
    octokit = await probot.auth();
    let login: Promise<Identity> | undefined;
    self = () => {
      login ??= octokit.rest.users.getAuthenticated().then(({ data }) => ({ login: data.login }));
      return login;
    };
  } else if (app) {
    const { probot, installation } = await appInstallation(org, env, app, log);
    octokit = await probot.auth(installation.id);
    self = identityResolver(() => probot.auth());
  } else {
    throw new ConfigError(
      "no credentials: set APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH (registration writes them to .env), or GITHUB_TOKEN",
    );
  }
  return createRuntime({ octokit, log, org, env, self, dryRun });
}

export interface AppCredentials {
  appId: number;
  privateKey: string;
}

/**
 * APP_ID and the private key, checked before GitHub sees them: PRIVATE_KEY (PEM, PEM with `\n`
 * escapes as registration writes it, or base64 of a PEM), else PRIVATE_KEY_PATH, as Probot reads
 * them (an empty PRIVATE_KEY counts as unset). Undefined when neither APP_ID nor a key is set.
 */
export function appCredentials(env: NodeJS.ProcessEnv): AppCredentials | undefined {
  const appId = env.APP_ID?.trim() ?? "";
  const keyText = env.PRIVATE_KEY?.trim() ?? "";
  const keyPath = env.PRIVATE_KEY_PATH?.trim() ?? "";
  if (!appId && !keyText && !keyPath) return undefined;
  if (!appId) {
    throw new ConfigError("APP_ID is not set: set it to the App ID shown on the app's settings page");
  }
  if (!/^[1-9]\d*$/.test(appId)) {
    throw new ConfigError(
      `APP_ID="${appId}" is not a number: set it to the App ID shown on the app's settings page`,
    );
  }
  if (!keyText && !keyPath) {
    throw new ConfigError(
      "APP_ID is set but no private key: set PRIVATE_KEY to the app's .pem contents, or PRIVATE_KEY_PATH to the .pem file",
    );
  }
  return { appId: Number(appId), privateKey: keyText ? keyFromEnv(keyText) : keyFromFile(keyPath) };
}

function keyFromEnv(text: string): string {
  const pem = text.includes("-----BEGIN")
    ? text.replace(/\\n/g, "\n")
    : Buffer.from(text, "base64").toString("utf8");
  if (!isPrivateKey(pem)) {
    throw new ConfigError(
      "PRIVATE_KEY is not a PEM private key (nor base64 of one): set it to the whole .pem file GitHub generated for the app, or leave it empty and set PRIVATE_KEY_PATH to the file",
    );
  }
  return pem;
}

function keyFromFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `PRIVATE_KEY_PATH=${path}: cannot read the file (${reason}): point it at the app's .pem file`,
    );
  }
  if (!isPrivateKey(pem)) {
    throw new ConfigError(
      `PRIVATE_KEY_PATH=${path}: not a PEM private key: point it at the .pem file GitHub generated for the app`,
    );
  }
  return pem;
}

function isPrivateKey(pem: string): boolean {
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) return false;
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

/** GHE_HOST/GHE_PROTOCOL point the clients at GitHub Enterprise Cloud with data residency. */
function clientOptions(env: NodeJS.ProcessEnv, log: Logger) {
  const baseUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` : undefined;
  return { log, ...(baseUrl ? { baseUrl } : {}) };
}

export type OrgInstallation = Awaited<ReturnType<GitHub["rest"]["apps"]["getOrgInstallation"]>>["data"];

/** The app (JWT) and its installation on `org`; a missing installation is named with its fix. */
export async function appInstallation(
  org: string,
  env: NodeJS.ProcessEnv,
  app: AppCredentials,
  log: Logger = cliLogger(env),
): Promise<{ probot: Probot; installation: OrgInstallation }> {
  const probot = new Probot({ ...clientOptions(env, log), ...app });
  const octokit = await probot.auth();
  try {
    const { data } = await octokit.rest.apps.getOrgInstallation({ org });
    return { probot, installation: data };
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      throw new ConfigError(
        `the app (APP_ID=${app.appId}) is not installed on the org "${org}": install it there (the app's settings, Install App), or check --org`,
      );
    }
    throw error;
  }
}
