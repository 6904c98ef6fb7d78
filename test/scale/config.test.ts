import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { checkRedis, RedisConfigError } from "../../src/scale/redis.js";
import { TEST_PRIVATE_KEY } from "../helpers/app.js";
import { freePort, startRedis, type TestRedis } from "../helpers/redis.js";

/** Bad Redis configuration stops the app, and a worker, at start with one line that says what to fix. */

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis({ password: "right-password" });
});
afterAll(() => redis?.stop());

const wrongPassword =
  "REDIS_URL: cannot use Redis at 127.0.0.1:{port}: the password (or user) in REDIS_URL is wrong";
describe("REDIS_URL that does not work", () => {
  // The production entry point as its own process: exit code and everything it prints.
  it.each([
    [
      "unreachable",
      () => "redis://127.0.0.1:1",
      "REDIS_URL: cannot use Redis at 127.0.0.1:1: connection refused (is redis-server running there?)",
    ],
    ["wrong password", () => `redis://:wrong@127.0.0.1:${redis.port}`, wrongPassword],
  ])("%s: the app exits 1 with one line", async (_what, url, message) => {
    const { code, stderr, stdout } = await runApp({ REDIS_URL: url() });
    const line = message.replace("{port}", String(redis.port));
    expect({ code, stderr, stdout }).toEqual({
      code: 1,
      stderr: `security-team: cannot start: ${line}\n`,
      stdout: "",
    });
  });

  it.each([
    ["no password", () => `redis://127.0.0.1:${redis.port}`, wrongPassword],
    ["not a URL", () => "localhost:6379", "REDIS_URL is not a URL (expected redis://[:password@]host:port)"],
  ])("%s: the check names it", async (_what, url, message) => {
    await expect(checkRedis(url())).rejects.toThrow(
      new RedisConfigError(message.replace("{port}", String(redis.port))),
    );
  });

  it("a worker says the same and exits 1", async () => {
    const errors: string[] = [];
    const env = {
      REDIS_URL: `redis://:wrong@127.0.0.1:${redis.port}`,
      APP_ID: "1",
      PRIVATE_KEY: TEST_PRIVATE_KEY,
    };
    const code = await main(["worker"], { out: () => {}, err: (t) => errors.push(t), env });
    expect(code).toBe(1);
    expect(errors).toEqual([
      `security-team worker: REDIS_URL: cannot use Redis at 127.0.0.1:${redis.port}: the password (or user) in REDIS_URL is wrong`,
    ]);
  });

  it("a worker without REDIS_URL says it needs one", async () => {
    const errors: string[] = [];
    const code = await main(["worker"], { out: () => {}, err: (t) => errors.push(t), env: {} });
    expect(code).toBe(2);
    expect(errors[0]?.split("\n")[0]).toBe(
      "security-team worker: needs REDIS_URL: a worker takes its jobs from the queue in Redis",
    );
  });
});

/** The production entry point (`npm start`, the Docker image) as its own process. */
async function runApp(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      PATH: process.env.PATH,
      APP_ID: "1",
      PRIVATE_KEY: TEST_PRIVATE_KEY,
      WEBHOOK_SECRET: "secret",
      PORT: String(await freePort()),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += String(c);
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += String(c);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}
