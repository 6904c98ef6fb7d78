import type { CommandSpec } from "../commands/types.js";

export const reportsCommands: CommandSpec[] = [];
