import type { Charter } from "../charter/schema.js";
import type { Action, RepoRef } from "../core/actions.js";

/**
 * The `labels.report` label only helps people find tracking issues: the app recognises them by its
 * own marker. Removing it hides a report from label searches, so the app puts it back and says why.
 */
export function planReportLabelRestored(
  charter: Charter,
  tracker: RepoRef,
  number: number,
  remover: string,
): Action[] {
  const label = charter.labels.report;
  const why = `@${remover} removed "${label}" from a tracking issue`;
  return [
    { kind: "issue.addLabels", repo: tracker, number, labels: [label], why },
    {
      kind: "issue.comment",
      repo: tracker,
      number,
      body: `@${remover}: the \`${label}\` label is back. It marks every tracking issue, so that the team finds each report; removing it changes nothing else (closing a report still needs the same sign-off).`,
      why,
    },
  ];
}
