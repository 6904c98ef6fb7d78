import type { Charter } from "../charter/schema.js";
import type { Runtime } from "../context.js";
import { isOwn } from "../core/identity.js";
import { markersIn } from "../core/markers.js";
import { issueCommentsUpdatedSince, issuesUpdatedSince } from "../github/issues.js";
import { ACK_KEY, ghsaOf, trackerRef } from "../reports/tracking-markers.js";

/**
 * What happened to one report, read back from its tracking issue: the milestones the app recorded
 * (tracking-markers.ts conventions) and who took part. The annual report and the reaffirmation issue are pure
 * functions over these.
 */
export interface ReportTimeline {
  /** Tracking issue number (never shown outside the tracker: figures only). */
  number: number;
  /** ISO times. `opened` is when the tracking issue was created (the report arrived). */
  opened: string;
  acknowledged?: string;
  owned?: string;
  closed?: string;
  /** The current owner (the issue's single assignee). */
  owner?: string;
  /** Each time a person took part: ownership recorded, or a comment (`/approve` sign-offs are comments). */
  participation: { login: string; at: string }[];
}

interface IssueRead {
  number: number;
  created_at: string;
  closed_at: string | null;
  body?: string | null;
  user: { login: string } | null;
  pull_request?: unknown;
  assignee?: { login: string } | null;
  assignees?: { login: string }[] | null;
}

interface CommentRead {
  issue_url: string;
  created_at: string;
  body?: string;
  user: { login: string; type?: string } | null;
}

/**
 * Reads every tracking issue in the tracker updated since `since` (all when omitted), with their
 * comments: two paginated lists, however many reports there are.
 */
export async function readTimelines(rt: Runtime, charter: Charter, since?: Date): Promise<ReportTimeline[]> {
  const tracker = trackerRef(charter);
  const self = await rt.self();
  const issues = (await issuesUpdatedSince(rt, tracker, since)) as IssueRead[];
  const comments = (await issueCommentsUpdatedSince(rt, tracker, since)) as CommentRead[];
  const byIssue = new Map<number, CommentRead[]>();
  for (const c of comments) {
    const number = Number(c.issue_url.split("/").pop());
    byIssue.set(number, [...(byIssue.get(number) ?? []), c]);
  }
  return issues
    .filter((issue) => ghsaOf(issue, self) !== undefined)
    .map((issue) => timelineOf(issue, byIssue.get(issue.number) ?? [], (c) => isOwn(c, self)));
}

/** One tracking issue and its comments → its timeline. Only the app's own comments carry milestones. */
export function timelineOf(
  issue: IssueRead,
  comments: CommentRead[],
  isApp: (c: CommentRead) => boolean,
): ReportTimeline {
  const sorted = [...comments].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const participation: ReportTimeline["participation"] = [];
  let acknowledged: string | undefined;
  let owned: string | undefined;
  for (const c of sorted) {
    if (isApp(c)) {
      for (const key of markersIn(c.body)) {
        if (key === ACK_KEY) acknowledged ??= c.created_at;
        if (key.startsWith("owner:")) {
          owned ??= c.created_at;
          participation.push({ login: key.slice("owner:".length), at: c.created_at });
        }
      }
    } else if (c.user && c.user.type !== "Bot") {
      participation.push({ login: c.user.login, at: c.created_at });
    }
  }
  const owner = issue.assignee?.login ?? issue.assignees?.[0]?.login;
  return {
    number: issue.number,
    opened: issue.created_at,
    ...(acknowledged ? { acknowledged } : {}),
    ...(owned ? { owned } : {}),
    ...(issue.closed_at ? { closed: issue.closed_at } : {}),
    ...(owner ? { owner } : {}),
    participation,
  };
}

/** How many distinct reports each login took part in between `from` and `to` (logins lower-cased). */
export function participationCounts(timelines: ReportTimeline[], from: Date, to: Date): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of timelines) {
    const who = new Set(
      t.participation
        .filter((p) => {
          const at = new Date(p.at).getTime();
          return at >= from.getTime() && at < to.getTime();
        })
        .map((p) => p.login.toLowerCase()),
    );
    for (const login of who) counts.set(login, (counts.get(login) ?? 0) + 1);
  }
  return counts;
}
