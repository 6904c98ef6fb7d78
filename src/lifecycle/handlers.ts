import type { Handler } from "../context.js";

export const lifecycleHandlers: Handler[] = [];
