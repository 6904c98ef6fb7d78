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
  /** Who removed it, when the event says so (the sweep only sees that it is gone). */
  remover?: string,
): Action[] {
  const label = charter.labels.report;
  const why = `${remover ? `@${remover} removed` : "no"} "${label}" on a tracking issue`;
  return [
    { kind: "issue.addLabels", repo: tracker, number, labels: [label], why },
    {
      kind: "issue.comment",
      repo: tracker,
      number,
      body: `${remover ? `@${remover}: the` : "The"} \`${label}\` label is back. It marks every tracking issue, so that the team finds each report; removing it changes nothing else (closing a report still needs the same sign-off).`,
      why,
    },
  ];
}
