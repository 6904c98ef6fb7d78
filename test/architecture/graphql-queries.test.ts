import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse, type SourceFile, sourceFiles } from "./sources.js";

/**
 * The write guard learns from every GraphQL answer (`learnGraphQL` in core/disclosure.ts), but only
 * what the query asked for: an issue's body teaches it a tracking issue only when the answer also
 * says which repository the issue is in and that it is private, and the summary is in the title. So
 * every query that reads issue bodies asks for `nameWithOwner visibility` and `title` too.
 */
function queriesIn(file: SourceFile): { name: string; text: string }[] {
  const found: { name: string; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    if (ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = node.head.text + node.templateSpans.map((s) => `\${…}${s.literal.text}`).join("");
    const name = text && /^\s*query\s+(\w+)/.exec(text)?.[1];
    if (text && name) found.push({ name, text });
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return found;
}

function unlearnable(files: SourceFile[]): string[] {
  return files.flatMap((file) =>
    queriesIn(file)
      .filter(({ text }) => /\bissues?\(/.test(text) && /\bbody\b/.test(text))
      .filter(
        ({ text }) =>
          !["nameWithOwner", "visibility", "title"].every((f) => new RegExp(`\\b${f}\\b`).test(text)),
      )
      .map(({ name }) => `src/${file.path}: query ${name}`),
  );
}

describe("GraphQL queries that read issues", () => {
  it("ask for what the write guard needs to learn from them", () => {
    expect(unlearnable(sourceFiles())).toEqual([]);
  });

  it("are found in every form (a control)", () => {
    const files = [
      parse(
        "a/read.ts",
        'const Q = `query Bare($n: Int!) { repository(owner: "o", name: "r") { issue(number: $n) { body } } }`;',
      ),
      parse(
        "b/read.ts",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
        'const F = \'number body\';\nconst Q = `query Page { repository(owner: "o", name: "r") { nameWithOwner issues(first: 9) { nodes { ${F} title body } } } }`;',
      ),
      parse(
        "c/read.ts",
        'const Q = `query Good { repository(owner: "o", name: "r") { nameWithOwner visibility issue(number: 1) { title body } } }`;',
      ),
      parse(
        "d/read.ts",
        'const Q = `query Files { repository(owner: "o", name: "r") { object(expression: "HEAD") { oid } } }`;',
      ),
    ];
    expect(unlearnable(files)).toEqual(["src/a/read.ts: query Bare", "src/b/read.ts: query Page"]);
  });
});
