import type { Handler } from "../core/context.js";

export const sweepHandlers: Handler[] = [];
