import type { World } from "./world.js";

/**
 * A story is a list of steps. Each step moves the clock (optional), lets people act on GitHub (the
 * webhooks reach the real app), and then checks that GitHub shows the expected effect. The runner
 * prints what happened on GitHub after each step, then ✓ or ✗ with the reason.
 */
export interface Step {
  /** What happens, in the words of the team ("A member claims the report by label"). */
  name: string;
  /** When it happens (ISO 8601): GitHub's clock and the app's move here first. */
  at?: string;
  act(world: World): Promise<void>;
  /** The effect a user would see, in words; printed with ✓/✗. */
  expected: string;
  /** Throws (use `must`) when GitHub does not show the expected effect. */
  check(world: World): void | Promise<void>;
  /** Text the transcript cuts short that the effect is about (a mention deep in a comment), one line each. */
  shows?(world: World): string[];
}

export class StepFailed extends Error {}

/** Fails the current step with `message` unless `condition` holds. */
export function must(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

export interface StoryResult {
  passed: number;
  failed: string[];
}

export async function runStory(
  world: World,
  steps: Step[],
  print: (line: string) => void,
): Promise<StoryResult> {
  const failed: string[] = [];
  let passed = 0;
  for (const [index, step] of steps.entries()) {
    if (step.at) world.at(step.at);
    print("");
    print(
      `${index + 1}. ${step.name}  [${world
        .now()
        .replace("T", " ")
        .replace(/:00(\.000)?Z$/, " UTC")}]`,
    );
    const changesBefore = world.fake.changes.length;
    const invalidBefore = world.fake.invalidRequests.length;
    let problem: string | undefined;
    try {
      await step.act(world);
      await step.check(world);
    } catch (error) {
      problem = error instanceof StepFailed ? error.message : `error: ${(error as Error).message}`;
    }
    for (const change of world.fake.changes.slice(changesBefore)) {
      const who = change.actor === world.fake.botLogin ? "app" : `@${change.actor}`;
      print(`   ${who.padEnd(18)} ${change.what}`);
    }
    const invalid = world.fake.invalidRequests.slice(invalidBefore);
    if (!problem && invalid.length > 0)
      problem = `the app sent requests GitHub would reject: ${invalid.join("; ")}`;
    if (problem) {
      failed.push(`${index + 1}. ${step.name}: ${problem}`);
      print(`   ✗ expected: ${step.expected}`);
      print(`     but: ${problem}`);
    } else {
      passed++;
      for (const line of step.shows?.(world) ?? []) print(`   ${"".padEnd(18)} ↳ ${line}`);
      print(`   ✓ ${step.expected}`);
    }
  }
  return { passed, failed };
}
