import { run } from "probot";
import app from "./index.js";
import { gracefulStop } from "./shutdown.js";

/**
 * The production entry point (`node lib/main.js`, the Docker image's command): Probot's `run` (the
 * same environment and `.env` handling as `probot run`, registration flow without credentials)
 * plus a graceful stop on SIGTERM, which `probot run` does not handle.
 */
const server = await run(app);
process.once("SIGTERM", gracefulStop(server));
