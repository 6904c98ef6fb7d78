/** A slash command: the first line of a comment, `/name arg…`; the lines after it are its body. */
export interface ParsedCommand {
  name: string;
  args: string[];
  body: string;
}

export function parseCommand(comment: string | null | undefined): ParsedCommand | undefined {
  const text = (comment ?? "").replace(/\r\n/g, "\n").trimStart();
  const [first = "", ...rest] = text.split("\n");
  const match = /^\/([a-z][a-z-]*)(?:\s+(.*))?$/i.exec(first.trim());
  if (!match) return undefined;
  const args = (match[2] ?? "").split(/\s+/).filter(Boolean);
  return { name: (match[1] as string).toLowerCase(), args, body: rest.join("\n").trim() };
}

/** `@Login` or `Login` → `Login`; undefined when it is not a plausible login. */
export function loginArg(arg: string | undefined): string | undefined {
  const login = arg?.replace(/^@/, "");
  return login && /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(login) ? login : undefined;
}
