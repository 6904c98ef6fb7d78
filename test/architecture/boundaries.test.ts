import { describe, expect, it } from "vitest";
import { importsOf, parse, partOf, type SourceFile, sourceFiles } from "./sources.js";

/**
 * The edges of the house (README, "Development"): core knows no feature, the charter knows nothing
 * of GitHub or core, and the GitHub readers know only core and the charter. Every other folder may
 * import these three and each other.
 */
const MAY_IMPORT: Record<string, string[]> = {
  "core/": ["core/"],
  "charter/": ["charter/"],
  "github/": ["github/", "core/", "charter/"],
};

function crossings(files: SourceFile[]): string[] {
  return files.flatMap((file) => {
    const allowed = MAY_IMPORT[partOf(file.path)];
    if (!allowed) return [];
    return importsOf(file)
      .filter((i) => i.target !== undefined && !allowed.includes(partOf(i.target)))
      .map((i) => `src/${file.path} imports ${i.specifier}`);
  });
}

describe("the edges between folders", () => {
  it("run one way: no import crosses them", () => {
    expect(crossings(sourceFiles())).toEqual([]);
  });

  it("are read from every kind of import (a control with bad edges)", () => {
    const bad = [
      parse("core/a.ts", 'import { x } from "../signoff/mirror.js";'),
      parse("core/b.ts", 'import type { Charter } from "../charter/schema.js";'),
      parse("core/c.ts", 'export { y } from "../context.js";'),
      parse("core/d.ts", 'const m = await import("../reports/tracker.js");'),
      parse("charter/e.ts", 'let g: import("../core/executor.js").GitHub;'),
      parse("github/f.ts", 'import { planTeamSync } from "../membership/plan.js";'),
    ];
    const good = [
      parse("core/g.ts", 'import { graphql } from "./graphql.js";\nimport pino from "pino";'),
      parse("github/h.ts", 'import { loadCharter } from "../charter/loader.js";'),
      parse("reports/i.ts", 'import { readCharter } from "../github/charter-source.js";'),
    ];
    expect(crossings([...bad, ...good])).toEqual([
      "src/core/a.ts imports ../signoff/mirror.js",
      "src/core/b.ts imports ../charter/schema.js",
      "src/core/c.ts imports ../context.js",
      "src/core/d.ts imports ../reports/tracker.js",
      "src/charter/e.ts imports ../core/executor.js",
      "src/github/f.ts imports ../membership/plan.js",
    ]);
  });
});
