import type { CommandSpec } from "../commands/types.js";

export const lifecycleCommands: CommandSpec[] = [];
