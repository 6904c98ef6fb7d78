import type { Action, CheckOutput } from "./actions.js";
import { isMarkerLine } from "./markers.js";

/**
 * The one place people's text (advisory summaries and comments, drafts, command arguments, charter
 * values quoted back) becomes text the app writes. Anyone can type `<!-- security-team:by:shaib -->`:
 * written through here it can never be a live marker, nor an HTML comment that hides the rest of the
 * app's comment. Every `<!` gets a zero-width joiner after `<`, which GitHub renders invisibly but
 * which no HTML comment (however the rest is split across lines or spelled) and no marker can start
 * with. Entities need nothing: `&lt;!--` renders as text and is not a marker to the reader. Code
 * fences protect nothing (people's text can close them), so nothing here relies on them.
 */
export function inert(text: string): string {
  return text.replace(/<!/g, "<\u200d!");
}

/** People's text on one line (an issue title, a table cell): inert, line breaks as spaces. */
export function inertLine(text: string): string {
  return inert(text).replace(/\r\n|[\r\n\u2028\u2029]/g, " ");
}

/** `@login` in copied text would notify people from the private tracker; a zero-width joiner prevents it. */
export function quietMentions(text: string): string {
  return text.replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, "$1@\u200d");
}

/** People's text as a Markdown quote: inert, mentions quiet, every line behind `> `. */
export function quote(text: string): string {
  return quietMentions(inert(text))
    .split(/\r\n|[\r\n]/)
    .map((line) => `> ${line}`)
    .join("\n");
}

/**
 * The executor's last line of defence: in a body the app writes, the only `<!` left are the app's
 * markers, whole lines in their one fixed form (see markers.ts). Text a call site forgot to pass
 * through `inert` can then hide nothing and cannot join lines into a marker.
 */
export function sealed(body: string): string {
  if (!body.includes("<!")) return body;
  return body
    .split("\n")
    .map((line) => (isMarkerLine(line) ? line : inert(line)))
    .join("\n");
}

function sealedOutput(output: CheckOutput): CheckOutput {
  return {
    ...output,
    title: inertLine(output.title),
    summary: sealed(output.summary),
    ...(output.text !== undefined ? { text: sealed(output.text) } : {}),
    ...(output.annotations
      ? { annotations: output.annotations.map((a) => ({ ...a, message: inert(a.message) })) }
      : {}),
  };
}

/** Every Markdown field of an action sealed (file contents of a pull request are not Markdown). */
export function sealedAction(action: Action): Action {
  switch (action.kind) {
    case "issue.create":
      return { ...action, title: inertLine(action.title), body: sealed(action.body) };
    case "issue.comment":
    case "comment.edit":
    case "advisory.comment":
      return { ...action, body: sealed(action.body) };
    case "issue.update":
      return {
        ...action,
        ...(action.title !== undefined ? { title: inertLine(action.title) } : {}),
        ...(action.body !== undefined ? { body: sealed(action.body) } : {}),
      };
    case "check.create":
    case "check.update":
      return { ...action, output: sealedOutput(action.output) };
    case "pull.createWithFile":
      return { ...action, title: inertLine(action.title), body: sealed(action.body) };
    default:
      return action;
  }
}
