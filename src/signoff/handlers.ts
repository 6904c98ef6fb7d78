import type { Handler } from "../core/context.js";

export const signoffHandlers: Handler[] = [];
