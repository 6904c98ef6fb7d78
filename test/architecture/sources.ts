import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The app's source files, parsed, with paths relative to `src/` (e.g. `core/executor.ts`). */

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

export interface SourceFile {
  path: string;
  ast: ts.SourceFile;
}

export function sourceFiles(root = SRC): SourceFile[] {
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .sort();
  return files.map((f) => parse(relative(root, join(root, f)), readFileSync(join(root, f), "utf8")));
}

export function parse(path: string, text: string): SourceFile {
  return { path, ast: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true) };
}

export interface Import {
  /** The specifier as written. */
  specifier: string;
  /** For a relative import, the imported file relative to `src/`; undefined for a package. */
  target?: string;
}

/** Every module a file imports or re-exports, type-only and dynamic imports included. */
export function importsOf(file: SourceFile): Import[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file.ast);
  return found.map((specifier) =>
    specifier.startsWith(".")
      ? { specifier, target: join(dirname(file.path), specifier).replace(/\.js$/, ".ts") }
      : { specifier },
  );
}

/** The top-level folder a path under `src/` belongs to; a file at the root is its own part. */
export function partOf(path: string): string {
  const [first, ...rest] = path.split("/");
  return rest.length > 0 ? `${first}/` : (first ?? path);
}

/** `file:line` of a node, for failure messages. */
export function where(file: SourceFile, node: ts.Node): string {
  const { line } = file.ast.getLineAndCharacterOfPosition(node.getStart(file.ast));
  return `src/${file.path}:${line + 1}`;
}
