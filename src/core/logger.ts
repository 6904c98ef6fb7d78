import pino, { type Logger } from "pino";

/**
 * The one place the app's logging is made safe, for the server (Probot's logger, in `createApp`) and
 * the CLI alike. Probot logs every webhook payload and Octokit every request at `debug`, and those
 * carry report summaries, comment bodies and reporters: no level below `info` is let through, so no
 * `LOG_LEVEL` an operator sets prints them. Probot and @octokit/webhooks log a failed event's error
 * whole, with the event's payload and Octokit's request (headers, token) and response attached: errors
 * are serialized without them. Loggers made from this one later (per event, per client) inherit both.
 */
export function secureLogger<L extends Logger>(log: L): L {
  if (log.isLevelEnabled("debug")) {
    log.warn(
      `LOG_LEVEL=${log.level} would log webhook payloads and request bodies, which contain report contents: logging at info instead`,
    );
    log.level = "info";
  }
  const slot = log as unknown as Record<symbol, Record<string, (value: unknown) => unknown>>;
  const serializers = pino.symbols.serializersSym;
  slot[serializers] = {
    ...slot[serializers],
    err: (error) => withoutPayloads(pino.stdSerializers.err(error as Error)),
  };
  return log;
}

/** The CLI's logger: JSON lines on stderr (stdout is the command's output), `LOG_LEVEL` or `warn`. */
export function cliLogger(env: NodeJS.ProcessEnv): Logger {
  return secureLogger(pino({ level: env.LOG_LEVEL || "warn" }, process.stderr));
}

function withoutPayloads(serialized: Record<string, unknown>): Record<string, unknown> {
  const { event: _event, request: _request, response: _response, aggregateErrors, ...rest } = serialized;
  return Array.isArray(aggregateErrors)
    ? { ...rest, aggregateErrors: aggregateErrors.map((e) => withoutPayloads(e as Record<string, unknown>)) }
    : rest;
}
