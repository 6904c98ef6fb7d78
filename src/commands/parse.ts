import { LOGIN_PATTERN } from "../charter/schema.js";

/** A slash command: the first non-blank line of a comment, `/name arg…`; the lines after it are its body. */
export interface ParsedCommand {
  name: string;
  args: string[];
  body: string;
}

/** GitHub caps a comment at 65,536 characters; nothing past that is read, whatever the input. */
export const MAX_COMMENT_CHARS = 64 * 1024;

/**
 * Linear in the comment, with no pattern that can backtrack over it: the first non-blank line is
 * cut out by index, and only a short anchored pattern reads the command's name.
 */
export function parseCommand(comment: string | null | undefined): ParsedCommand | undefined {
  const text = (comment ?? "").slice(0, MAX_COMMENT_CHARS);
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== "/") return undefined;
  const newline = text.indexOf("\n", start);
  const end = newline < 0 ? text.length : newline;
  const first = text.slice(start, end);
  const name = /^\/([a-z][a-z-]*)(?=\s|$)/i.exec(first);
  if (!name) return undefined;
  const args = first
    .slice(name[0].length)
    .split(/\s+/)
    .filter((a) => a.length > 0);
  const body =
    newline < 0
      ? ""
      : text
          .slice(newline + 1)
          .replace(/\r\n/g, "\n")
          .trim();
  return { name: (name[1] as string).toLowerCase(), args, body };
}

/** `@Login` or `Login` → `Login`; undefined when it is not a plausible login. */
export function loginArg(arg: string | undefined): string | undefined {
  const login = arg?.replace(/^@/, "");
  return login && LOGIN_PATTERN.test(login) ? login : undefined;
}
