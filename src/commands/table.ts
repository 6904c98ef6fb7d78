import { lifecycleCommands } from "../lifecycle/commands.js";
import { reportsCommands } from "../reports/commands.js";
import { signoffCommands } from "../signoff/commands.js";
import type { CommandScope, CommandSpec } from "./types.js";

/** Every slash command the app understands, in the order `/help` lists them. */
export const commands: CommandSpec[] = [...reportsCommands, ...signoffCommands, ...lifecycleCommands];

export function findCommand(name: string, scope: CommandScope): CommandSpec | undefined {
  return commands.find((c) => c.name === name && c.scope === scope);
}

export function helpText(scope: CommandScope): string {
  const rows = commands
    .filter((c) => c.scope === scope)
    .map(
      (c) => `| \`${c.usage}\` | ${c.summary} | ${c.who === "full-member" ? "full members" : "members"} |`,
    );
  return [
    "| command | what it does | who |",
    "| --- | --- | --- |",
    "| `/help` | this list | members |",
    ...rows,
  ].join("\n");
}
