/**
 * Handlers read state, decide, then write: two of them acting on the same object at the same moment
 * would both decide from the state before either wrote (two check runs, two tracking issues). A
 * keyed mutex makes work on the same key run one after another within this process; work on other
 * keys runs freely. With `REDIS_URL` the same keys are Redis locks (src/scale/locks.ts), taken by
 * every replica and the CLI.
 */
export interface KeyedMutex {
  /** Runs `task` once every earlier task on `key` has settled (resolved or thrown). */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /**
   * Runs `task` holding every key, taken one at a time in sorted order: two callers that both take
   * several keys cannot wait on each other, and a single-key holder never waits while holding.
   */
  runAll<T>(keys: string[], task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting (a key is forgotten when its queue empties). */
  size(): number;
}

export function createKeyedMutex(): KeyedMutex {
  // The last task queued on each key, settled either way: the next task on the key starts after it.
  const tails = new Map<string, Promise<void>>();
  function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail: Promise<void> = result.then(release, release);
    tails.set(key, tail);
    return result;
    function release(): void {
      if (tails.get(key) === tail) tails.delete(key);
    }
  }
  function runAll<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(keys)].sort();
    return first === undefined ? task() : run(first, () => runAll(rest, task));
  }
  return { run, runAll, size: () => tails.size };
}

/**
 * The process's locks when there is no Redis: webhook handlers, the sweep and the CLI share them.
 * Every key names its org (a login, unique on GitHub) or its installation, so two orgs served by one
 * process never wait on each other (test/reliability/installations.test.ts). They are per process,
 * which runs one app: two app instances in one process that serve the same org (tests) pass their own.
 */
export const inProcessLocks = createKeyedMutex();

/**
 * An advisory's key, the same from its webhook and from the sweep's poll. It names the org, not the
 * installation: the app has one installation per org, and the sweep knows the org.
 */
export function advisoryKey(org: string, ghsaId: string): string {
  return `advisory:${org.toLowerCase()}/${ghsaId.toUpperCase()}`;
}

/**
 * The team's key: charter pushes, installs and `membership` events, the sweep's reconcile and the
 * CLI's `apply` all change the team. Named by org, which the CLI knows without an installation id.
 */
export function teamKey(org: string): string {
  return `team:${org.toLowerCase()}`;
}

/** One org's sweep: two sweeps of the same org (two replicas, the schedule and the CLI) never overlap. */
export function sweepKey(org: string): string {
  return `sweep:${org.toLowerCase()}`;
}

/**
 * An issue's or pull request's key (they share a number space), the same from each of its events and
 * from work that reaches it from another event (a charter push judging every open pull request again).
 */
export function issueKey(
  installation: number,
  repo: { owner: string; repo: string },
  number: number,
): string {
  return `${installation}:${`${repo.owner}/${repo.repo}`.toLowerCase()}#${number}`;
}

/** The org an event belongs to. */
export function orgOf(payload: unknown): string | undefined {
  const p = payload as {
    organization?: { login?: string };
    repository?: { owner?: { login?: string } };
    installation?: { account?: { login?: string } };
  };
  return p.organization?.login ?? p.repository?.owner?.login ?? p.installation?.account?.login;
}

interface KeyFacts {
  installation?: { id?: number };
  repository?: { name?: string; owner?: { login?: string } | null };
  issue?: { number?: number };
  pull_request?: { number?: number };
  check_run?: CheckFacts;
  check_suite?: CheckFacts;
  repository_advisory?: { ghsa_id?: string };
}

interface CheckFacts {
  head_sha?: string;
  pull_requests?: { number?: number }[];
}

/**
 * What an event is about, for `inProcessLocks`; undefined when it names nothing to serialize on.
 * Issues and pull requests share a number space (a pull request's comments are `issue_comment`), a
 * check run or suite listing one pull request is about that pull request (else its head commit), and
 * the team's membership is changed from pushes of the charter, installs and `membership` alike.
 */
export function eventKey(name: string, payload: unknown): string | undefined {
  const p = payload as KeyFacts;
  const installation = p.installation?.id;
  if (installation === undefined) return undefined;
  const owner = p.repository?.owner?.login;
  const repoName = p.repository?.name;
  const repo = owner && repoName ? `${owner}/${repoName}`.toLowerCase() : undefined;
  const about = (object: string | undefined) => (object ? `${installation}:${object}` : undefined);
  const numbered = (n: number | undefined) =>
    owner && repoName && n !== undefined ? issueKey(installation, { owner, repo: repoName }, n) : undefined;
  switch (name) {
    case "issues":
    case "issue_comment":
      return numbered(p.issue?.number);
    case "pull_request":
    case "pull_request_review":
      return numbered(p.pull_request?.number);
    case "check_run":
    case "check_suite": {
      const check = name === "check_run" ? p.check_run : p.check_suite;
      const pulls = check?.pull_requests ?? [];
      if (pulls.length === 1) return numbered(pulls[0]?.number);
      return about(repo && check?.head_sha ? `${repo}@${check.head_sha}` : undefined);
    }
    case "repository_advisory": {
      const org = orgOf(payload);
      const ghsa = p.repository_advisory?.ghsa_id;
      return org && ghsa ? advisoryKey(org, ghsa) : undefined;
    }
    case "push":
    case "membership":
    case "installation":
    case "installation_repositories": {
      const org = orgOf(payload);
      return org ? teamKey(org) : undefined;
    }
    default:
      return undefined;
  }
}
