import type { Server } from "probot";

export interface ShutdownOptions {
  log?: Pick<Console, "info" | "error">;
  exit?: (code: number) => void;
  /** How long webhooks in flight may take before the process exits anyway (GitHub gives up after 10 s). */
  graceMs?: number;
}

/** The process's: one process runs one app, and SIGTERM stops all of it. */
const tasks = new Set<() => Promise<void>>();

/**
 * Work that must finish before the process exits on SIGTERM (a running sweep, say). Register it here
 * rather than with `process.once("SIGTERM")`: a second listener that ends the process would cut the
 * graceful stop short. Returns a function that unregisters it.
 */
export function onShutdown(task: () => Promise<void>): () => void {
  tasks.add(task);
  return () => tasks.delete(task);
}

/**
 * Stops the server gracefully: no new connections, deliveries in flight run to the end (Probot
 * answers a webhook only when its handlers have finished, and `stop` waits for open requests),
 * and the `onShutdown` tasks finish, then exits 0; exits 1 if that takes longer than `graceMs`. Probot's own `run` does this for
 * SIGINT only; containers and process managers stop with SIGTERM.
 */
export function gracefulStop(
  server: Pick<Server, "stop">,
  options: ShutdownOptions = {},
): () => Promise<void> {
  const log = options.log ?? console;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const graceMs = options.graceMs ?? 15_000;
  return async () => {
    log.info("Stopping server: finishing webhooks in flight");
    const timer = setTimeout(() => {
      log.error(`Server did not stop within ${graceMs} ms; exiting`);
      exit(1);
    }, graceMs);
    timer.unref();
    try {
      await Promise.all([server.stop(), ...[...tasks].map((task) => task())]);
      clearTimeout(timer);
      log.info("Server stopped");
      exit(0);
    } catch (error) {
      clearTimeout(timer);
      log.error("Error while stopping server", error);
      exit(1);
    }
  };
}
