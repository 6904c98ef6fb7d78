import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";

type Node = DefaultTreeAdapterMap["childNode"] | DefaultTreeAdapterMap["document"];
type Element = DefaultTreeAdapterMap["element"];

const root = fileURLToPath(new URL("../..", import.meta.url));
const appYml = parseYaml(readFileSync(join(root, "app.yml"), "utf8")) as Record<string, unknown>;

/**
 * `npm start` without credentials: Probot serves "Register GitHub App", a form whose button carries
 * the manifest built from app.yml. What GitHub receives is what a browser submits: the page parsed
 * by a spec-compliant HTML parser (parse5, the algorithm browsers implement), not the string the
 * server meant to write.
 */
describe("the registration page served without credentials", () => {
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  let child: ReturnType<typeof spawn>;
  let output = "";
  let cwd: string;

  beforeAll(async () => {
    // A directory like a fresh clone's (app.yml, package.json) and no .env: no credentials at all.
    cwd = mkdtempSync(join(tmpdir(), "registration-"));
    copyFileSync(join(root, "app.yml"), join(cwd, "app.yml"));
    copyFileSync(join(root, "package.json"), join(cwd, "package.json"));
    child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(root, "src/main.ts")], {
      cwd,
      env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: String(port), NO_SMEE_SETUP: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    await vi.waitFor(() => expect(output).toContain("Listening on"), { timeout: 15_000 });
  });

  afterAll(async () => {
    child.kill("SIGTERM");
    await once(child, "exit");
    rmSync(cwd, { recursive: true, force: true });
  });

  async function submittedForm(): Promise<{ action: string; method: string; manifest: string }> {
    const response = await fetch(`${base}/probot`);
    expect(response.status).toBe(200);
    const document = parse(await response.text());
    const button = find(document, (e) => e.tagName === "button" && attr(e, "name") === "manifest");
    const form = find(document, (e) => e.tagName === "form" && contains(e, button));
    return {
      action: attr(form, "action") ?? "",
      method: attr(form, "method") ?? "",
      manifest: attr(button, "value") ?? "",
    };
  }

  it("submits app.yml to GitHub as valid JSON: name, description, permissions, events and URLs", async () => {
    const form = await submittedForm();
    expect(form.action).toBe("https://github.com/settings/apps/new");
    expect(form.method).toBe("post");

    const manifest = JSON.parse(form.manifest);

    expect(manifest).toMatchObject({
      name: appYml.name,
      description: appYml.description,
      url: appYml.url,
      public: false,
      default_permissions: appYml.default_permissions,
      default_events: appYml.default_events,
      redirect_url: `${base}/probot/setup`,
      hook_attributes: { url: `${base}/` },
    });
    expect(Object.keys(manifest.default_permissions).sort()).toEqual(
      Object.keys(appYml.default_permissions as object).sort(),
    );
  });
});

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function children(node: Node): Node[] {
  return "childNodes" in node ? (node.childNodes as Node[]) : [];
}

function find(node: Node, test: (e: Element) => boolean): Element {
  const found = findAll(node, test)[0];
  if (!found) throw new Error("element not found on the registration page");
  return found;
}

function findAll(node: Node, test: (e: Element) => boolean): Element[] {
  const own = "tagName" in node && test(node as Element) ? [node as Element] : [];
  return [...own, ...children(node).flatMap((c) => findAll(c, test))];
}

function contains(ancestor: Element, node: Element): boolean {
  return findAll(ancestor, (e) => e === node).length > 0;
}
