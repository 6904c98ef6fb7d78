import { createApp } from "../src/index.js";
import { startServer } from "./server.js";

/**
 * Child process of the memory benchmark (compiled, run with --expose-gc): starts the real server with
 * our app (`ours`) or a bare Probot app that does nothing (`bare`), lets it settle, collects garbage
 * and prints its RSS in MB.
 */

const which = process.argv[2];
const server = await startServer(which === "ours" ? createApp() : () => {});
await new Promise((resolve) => setTimeout(resolve, 500));
(globalThis as { gc?: () => void }).gc?.();
const rssMb = process.memoryUsage().rss / 2 ** 20;
await server.stop();
process.stdout.write(JSON.stringify({ rssMb }));
process.exit(0); // the sweep schedule's timer is unref'd, but Probot's own handles may linger
