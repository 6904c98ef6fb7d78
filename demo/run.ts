import { startAppServer } from "../test/fake-github/index.js";
import { runStory } from "./harness.js";
import { story } from "./story.js";
import { createWorld } from "./world.js";

/**
 * `npm run demo`: the real app, in Probot's real HTTP server, against an in-memory GitHub on
 * 127.0.0.1, playing `story.ts` with a moving clock. Prints what happened on GitHub step by step;
 * exits 0 only when every step had its expected effect and GitHub would have accepted every request.
 */

const LIMIT_MS = 50_000;
const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const started = Date.now();
  const world = await createWorld((fake, env) => startAppServer(fake, { env }));
  print(`security-team-app demo: the real app against an in-memory GitHub (${world.fake.baseUrl})`);
  print(`charter: config/charter.example.yml → ${world.charterRepo}; tracker ${world.tracker} (private)`);
  try {
    const result = await runStory(world, story, print);
    const failures = [...result.failed];
    const handlerErrors = world.app.logs.filter((l) => l.includes('"handler failed"'));
    if (handlerErrors.length > 0)
      failures.push(`the app logged handler failures:\n${handlerErrors.join("")}`);
    print("");
    print(
      `${result.passed} of ${story.length} steps had their expected effect (${Date.now() - started} ms).`,
    );
    if (failures.length === 0) return 0;
    print("FAILED:");
    for (const f of failures) print(`  ${f}`);
    print("\nThe app's writes, warnings and errors:");
    for (const line of world.app.logs.map(logSummary).filter(Boolean)) print(`  ${line}`);
    return 1;
  } finally {
    await world.stop();
  }
}

/** One log line, short: level, message, and the fields the app logs about writes and failures. */
function logSummary(line: string): string | undefined {
  const entry = JSON.parse(line) as Record<string, unknown>;
  if (Number(entry.level) < 40 && entry.msg !== "github write") return undefined;
  const fields = ["handler", "event", "action", "target", "outcome", "status", "error", "err"]
    .filter((k) => entry[k] !== undefined)
    .map((k) => `${k}=${JSON.stringify(entry[k])}`);
  return `${entry.msg} ${fields.join(" ")}`;
}

const timer = setTimeout(() => {
  print(`demo: did not finish within ${LIMIT_MS / 1000} s`);
  process.exit(1);
}, LIMIT_MS);
timer.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    print(`demo: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  },
);
