import { isMap, isScalar, isSeq, parseDocument } from "yaml";

/** Members to remove from the charter, and `reaffirmed:` days to record. */
export interface LapsePlan {
  removed: string[];
  confirmed: { login: string; on: string }[];
}

/**
 * The charter text with the plan applied. The YAML document locates each member; the text is then edited
 * only at those places (a removed member's lines, a `reaffirmed:` value or a new `reaffirmed:` line), so
 * every comment, quote style and blank line elsewhere stays byte for byte. The result is checked against
 * the same change made through the document API (`setIn`/`deleteIn`). Throws naming what is wrong.
 */
export function applyLapsePlan(text: string, plan: LapsePlan): string {
  const doc = parseDocument(text);
  const members = doc.get("members");
  if (!isSeq(members)) throw new Error("charter: `members` is not a list");
  const memberAt = (login: string) => {
    const index = members.items.findIndex(
      (item) => isMap(item) && String(item.get("login")).toLowerCase() === login.toLowerCase(),
    );
    const item = members.items[index];
    if (!isMap(item) || !item.range) throw new Error(`charter: member @${login} not found in members`);
    return { index, item, range: item.range };
  };
  const lineStart = (at: number) => text.lastIndexOf("\n", at - 1) + 1;
  const lineEnd = (at: number) => {
    const nl = text.indexOf("\n", at);
    return nl < 0 ? text.length : nl + 1;
  };

  const edits: { from: number; to: number; insert: string }[] = [];
  const expected = parseDocument(text);
  for (const { login, on } of plan.confirmed) {
    const { index, item, range } = memberAt(login);
    const value = item.get("reaffirmed", true);
    if (isScalar(value) && value.range) {
      edits.push({ from: value.range[0], to: value.range[1], insert: on });
    } else {
      const indent = " ".repeat(range[0] - lineStart(range[0]));
      const at = lineEnd(range[1] - 1);
      edits.push({
        from: at,
        to: at,
        insert: `${text.endsWith("\n") || at < text.length ? "" : "\n"}${indent}reaffirmed: ${on}\n`,
      });
    }
    expected.setIn(["members", index, "reaffirmed"], on);
  }
  const removals = plan.removed.map(memberAt).sort((a, b) => b.index - a.index);
  for (const { index, range } of removals) {
    edits.push({ from: lineStart(range[0]), to: lineEnd(range[1] - 1), insert: "" });
    expected.deleteIn(["members", index]);
  }

  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from))
    out = out.slice(0, e.from) + e.insert + out.slice(e.to);
  if (JSON.stringify(parseDocument(out).toJS()) !== JSON.stringify(expected.toJS())) {
    throw new Error("charter: could not edit the members list without changing other content");
  }
  return out;
}
