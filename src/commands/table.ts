import { lifecycleCommands } from "../lifecycle/commands.js";
import { advisoryCommands } from "../reports/advisory-commands.js";
import { reportsCommands } from "../reports/commands.js";
import { signoffCommands } from "../signoff/commands.js";
import type { CommandScope, CommandSpec } from "./types.js";

/** Every slash command the app understands, in the order `/help` lists them. */
export const commands: CommandSpec[] = [
  ...reportsCommands,
  ...advisoryCommands,
  ...signoffCommands,
  ...lifecycleCommands,
];

const WHO: Record<CommandSpec["who"], string> = {
  member: "members",
  "full-member": "full members",
  "owner-or-full-member": "the owner or full members",
};

export function findCommand(name: string, scope: CommandScope): CommandSpec | undefined {
  return commands.find((c) => c.name === name && c.scope === scope);
}

export function helpText(scope: CommandScope): string {
  const rows = commands
    .filter((c) => c.scope === scope)
    .map((c) => `| \`${c.usage}\` | ${c.summary} | ${WHO[c.who]} |`);
  return [
    "| command | what it does | who |",
    "| --- | --- | --- |",
    "| `/help` | this list | members |",
    ...rows,
  ].join("\n");
}
