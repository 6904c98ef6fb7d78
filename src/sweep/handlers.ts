import type { Handler } from "../context.js";

export const sweepHandlers: Handler[] = [];
