import type { Action, RepoRef } from "./actions.js";
import type { GitHub } from "./executor.js";
import { GRAPHQL_HOOK, type GraphQLAnswer } from "./graphql.js";
import { markerValue } from "./markers.js";

/**
 * Guarantee 1 for writes: report data never reaches a repository that is not private. One guard, asked
 * by the executor before every write that carries text (issues, comments, PR bodies, check output).
 *
 * What it knows is what the same delivery, sweep or CLI run has read, learnt as it passes by: every
 * GitHub answer (REST and GraphQL) and webhook payload is looked at for repositories (their visibility), advisories (GHSA
 * id, summary, reporters) and tracking issues in private repositories (GHSA marker, summary from the
 * title); figures per member are registered by the code that computes them. So knowing costs no request,
 * and a repository's visibility is learnt from the reads the app makes anyway (the tracker check, the
 * payload's `repository`), cached for the delivery or sweep.
 *
 * A write whose text carries none of it goes anywhere. One that carries some goes only to a repository
 * known to be private; public or unknown visibility refuses it (fail closed).
 */

export type Finding =
  | "a tracked GHSA id"
  | "an advisory summary"
  | "a reporter's login"
  | "a member's figure";

export interface DisclosureGuard {
  /** Looks at one GitHub object (REST answer or payload part), or an array of them, and learns from it. */
  learn(value: unknown): void;
  /** Logins whose report figures the app computed (reaffirmation counts, annual report load). */
  learnFigures(logins: Iterable<string>): void;
  /** Team members: their logins are not treated as reporters' (a member who drafts an advisory is its author). */
  learnMembers(logins: Iterable<string>): void;
  /** A repository's visibility read under the name the app uses for it (a renamed repo answers with its new name). */
  learnVisibility(repo: RepoRef, isPrivate: boolean): void;
  /** `true` private, `false` not private, `undefined` not learnt in this delivery or sweep. */
  isPrivate(repo: RepoRef): boolean | undefined;
  /** What the text of the write carries, without the data itself. */
  findings(action: Action): Finding[];
  /** Why the write must not be made (naming the action and the kind of data, never the data), or undefined. */
  refusal(action: Action, target: string): string | undefined;
}

/** GitHub's word for "only people with access see it": `internal` repositories are visible org-wide. */
export function isPrivateRepository(data: { private?: boolean; visibility?: string }): boolean {
  return data.private === true && data.visibility !== "internal";
}

const repoKey = (repo: RepoRef) => `${repo.owner}/${repo.repo}`.toLowerCase();

/** Letters and digits only, lower case: a summary is found however it was quoted, escaped or wrapped. */
const squeeze = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/** The first characters of a summary that identify it; shorter summaries are too common a phrase to match. */
const SUMMARY_PREFIX = 40;
const SUMMARY_MIN = 12;

const escapeRegExp = (login: string) => login.replace(/[-[\]\\^$.*+?()|{}]/g, "\\$&");

/** A login written the ways the app writes logins: `@login`, `` `login` ``, `"login"`, `| login |`. */
const loginForms = (login: string) =>
  new RegExp(`(?:@${escapeRegExp(login)}(?![\\w-])|([\`"|])\\s*${escapeRegExp(login)}\\s*\\1)`, "i");
/** A login next to a number (`@shaib: 3 reports`, `| shaib | 2 |`, `"shaib" : 2`); dates are not figures. */
const figureOf = (login: string) =>
  new RegExp(`(?<![\\w./-])@?${escapeRegExp(login)}(?![\\w/-])[\\s|:"'\`*=,-]{0,8}\\d+(?![\\d./:-])`, "i");

export function createDisclosureGuard(): DisclosureGuard {
  const visibility = new Map<string, boolean>();
  const ghsaIds = new Set<string>();
  const summaries = new Set<string>();
  /** Login (lower case) → its pattern, compiled once when learnt. */
  const reporters = new Map<string, RegExp>();
  const figures = new Map<string, RegExp>();
  const members = new Set<string>();

  function learnReport(ghsaId: unknown, summary: unknown, logins: string[]) {
    if (typeof ghsaId === "string" && /^GHSA(-[a-z0-9]{4}){3}$/i.test(ghsaId))
      ghsaIds.add(ghsaId.toUpperCase());
    if (typeof summary === "string") {
      const needle = squeeze(summary).slice(0, SUMMARY_PREFIX);
      if (needle.length >= SUMMARY_MIN) summaries.add(needle);
    }
    for (const login of logins) reporters.set(login.toLowerCase(), loginForms(login));
  }

  function learnOne(value: unknown) {
    if (typeof value !== "object" || value === null) return;
    const o = value as Record<string, unknown>;
    // A repository: its visibility.
    if (typeof o.full_name === "string" && typeof o.private === "boolean" && "owner" in o) {
      const [owner, repo] = o.full_name.split("/");
      if (owner && repo) visibility.set(repoKey({ owner, repo }), isPrivateRepository(o));
    }
    // An advisory (REST or webhook): its id, summary and reporters.
    if (typeof o.ghsa_id === "string" && "summary" in o) {
      const author = (o.author as { login?: string } | null | undefined)?.login;
      const credited = ((o.credits_detailed as { type?: string; user?: { login?: string } }[] | null) ?? [])
        .filter((c) => c.type === "reporter")
        .flatMap((c) => (c.user?.login ? [c.user.login] : []));
      learnReport(o.ghsa_id, o.summary, [...(author ? [author] : []), ...credited]);
    }
    // A tracking issue in a private repository: the GHSA it tracks and the summary in its title.
    if (typeof o.body === "string" && typeof o.repository_url === "string") {
      const ghsaId = markerValue(o.body, "ghsa:");
      const [owner, repo] = o.repository_url.split("/").slice(-2);
      if (ghsaId && owner && repo && visibility.get(repoKey({ owner, repo })) === true) {
        const title = typeof o.title === "string" ? o.title : "";
        learnReport(ghsaId, title.startsWith(`${ghsaId}: `) ? title.slice(ghsaId.length + 2) : undefined, []);
      }
    }
  }

  function findings(action: Action): Finding[] {
    const texts = textsOf(action);
    if (texts.length === 0) return [];
    const text = texts.join("\n");
    const found: Finding[] = [];
    const upper = text.toUpperCase();
    if ([...ghsaIds].some((id) => upper.includes(id))) found.push("a tracked GHSA id");
    const squeezed = squeeze(text);
    if ([...summaries].some((s) => squeezed.includes(s))) found.push("an advisory summary");
    if ([...reporters].some(([login, pattern]) => !members.has(login) && pattern.test(text)))
      found.push("a reporter's login");
    if ([...figures.values()].some((pattern) => pattern.test(text))) found.push("a member's figure");
    return found;
  }

  return {
    learn(value) {
      if (Array.isArray(value)) for (const item of value) learnOne(item);
      else learnOne(value);
    },
    learnFigures(logins) {
      for (const login of logins) figures.set(login.toLowerCase(), figureOf(login));
    },
    learnMembers(logins) {
      for (const login of logins) members.add(login.toLowerCase());
    },
    learnVisibility(repo, isPrivate) {
      visibility.set(repoKey(repo), isPrivate);
    },
    isPrivate: (repo) => visibility.get(repoKey(repo)),
    findings,
    refusal(action, target) {
      const repo = "repo" in action ? action.repo : undefined;
      if (!repo || action.kind === "advisory.comment") return undefined; // an advisory is not the repository's public surface
      const visible = visibility.get(repoKey(repo));
      if (visible === true) return undefined;
      const found = findings(action);
      if (found.length === 0) return undefined;
      const where =
        visible === false
          ? `${repo.owner}/${repo.repo} is not private`
          : `the visibility of ${repo.owner}/${repo.repo} is not known`;
      return `refused to ${target}: the text carries ${found.join(", ")} and ${where}`;
    },
  };
}

/** The text a write puts on GitHub for people to read. */
export function textsOf(action: Action): string[] {
  switch (action.kind) {
    case "issue.create":
      return [action.title, action.body];
    case "issue.comment":
    case "comment.edit":
    case "advisory.comment":
      return [action.body];
    case "issue.update":
      return [action.title ?? "", action.body ?? ""];
    case "check.create":
    case "check.update":
      return [
        action.output.title,
        action.output.summary,
        action.output.text ?? "",
        ...(action.output.annotations ?? []).flatMap((a) => [a.title ?? "", a.message]),
      ];
    case "pull.createWithFile":
      return [action.title, action.body, action.commitMessage];
    default:
      return [];
  }
}

/**
 * Lets the guard see every answer this client gets: REST answers as Octokit parses them, GraphQL
 * answers as `graphql()` parses them (`request` only sees their unparsed body), and those of
 * Octokit's own `octokit.graphql` should a reader ever call it.
 */
export function watchResponses(octokit: GitHub, guard: DisclosureGuard): void {
  octokit.hook.after("request", (response, options) => {
    if (options.url !== "/graphql") guard.learn(response.data);
    // `octokit.graphql`, parsed by Octokit; `graphql()` leaves its body unparsed here and parses it below.
    else if (options.request?.parseSuccessResponseBody !== false)
      learnGraphQL(guard, (response.data as GraphQLAnswer<unknown> | undefined)?.data);
  });
  octokit.hook.after(GRAPHQL_HOOK, (answer) => {
    learnGraphQL(guard, (answer as GraphQLAnswer<unknown> | undefined)?.data);
  });
}

/**
 * What a GraphQL answer teaches, by the same rules as REST: GraphQL's repositories and issues are
 * handed to `learn` as the REST objects they are. A repository (`nameWithOwner`) teaches its
 * visibility when the query asked for `visibility` (`isPrivate` alone is also true of `internal`
 * repositories: it teaches only "not private"). An issue (`number` and `body`) belongs to its own
 * `repository` when the query asked for it, else to the repository it was read under, and is learnt
 * as a tracking issue only when that repository is known to be private. So a query that reads issues
 * asks for `nameWithOwner visibility` on their repository (and `title`, where the summary is).
 */
export function learnGraphQL(guard: DisclosureGuard, data: unknown): void {
  const repositoryOf = (o: Record<string, unknown>): string | undefined => {
    if (typeof o.nameWithOwner !== "string") return undefined;
    const [owner, repo] = o.nameWithOwner.split("/");
    if (!owner || !repo) return undefined;
    const visibility = typeof o.visibility === "string" ? o.visibility.toLowerCase() : undefined;
    if (visibility || o.isPrivate === false) {
      guard.learn({
        full_name: o.nameWithOwner,
        owner: { login: owner },
        private: visibility ? visibility !== "public" : false,
        ...(visibility ? { visibility } : {}),
      });
    }
    return o.nameWithOwner;
  };
  const walk = (value: unknown, repository: string | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, repository);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const o = value as Record<string, unknown>;
    const own =
      typeof o.repository === "object" && o.repository !== null
        ? repositoryOf(o.repository as Record<string, unknown>)
        : undefined;
    const here = repositoryOf(o) ?? own ?? repository;
    if (here && typeof o.number === "number" && typeof o.body === "string") {
      guard.learn({ repository_url: `https://api.github.com/repos/${here}`, title: o.title, body: o.body });
    }
    for (const child of Object.values(o)) walk(child, here);
  };
  walk(data, undefined);
}

/** What a webhook's payload teaches: the repository's visibility, the advisory, the tracking issue. */
export function learnPayload(guard: DisclosureGuard, payload: unknown): void {
  const p = payload as { repository?: unknown; repository_advisory?: unknown; issue?: unknown };
  guard.learn(p.repository);
  guard.learn(p.repository_advisory);
  // Webhook issues carry `repository_url` like REST ones: a tracking issue is learnt once its repo is known private.
  guard.learn(p.issue);
}
