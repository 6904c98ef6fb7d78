import type { Handler } from "../core/context.js";

export const reportsHandlers: Handler[] = [];
