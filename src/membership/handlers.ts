import type { Handler } from "../core/context.js";

export const membershipHandlers: Handler[] = [];
