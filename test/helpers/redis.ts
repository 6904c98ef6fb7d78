import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/**
 * A real `redis-server` (the Debian package; `.ci/run` installs it) on a free 127.0.0.1 port, with
 * no persistence, for the tests that run the app as several replicas. `stop()` ends it.
 */
export async function startRedis(options: { password?: string } = {}) {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("redis-server is not installed: `apt-get install -y redis-server` (.ci/run does it)");
  }
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  if (options.password) args.push("--requirepass", options.password);
  const server: ChildProcess = spawn("redis-server", args, { stdio: "ignore" });
  const auth = options.password ? `:${options.password}@` : "";
  const url = `redis://${auth}127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  client.on("error", () => {});
  for (let tries = 0; ; tries++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      client.disconnect();
      if (tries > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    port,
    client,
    async stop() {
      client.disconnect();
      server.kill("SIGKILL");
      await new Promise((resolve) => server.once("exit", resolve));
    },
  };
}

export type TestRedis = Awaited<ReturnType<typeof startRedis>>;

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}
