import { z } from "zod";

/** GitHub logins: alphanumerics and single hyphens, no leading/trailing hyphen, at most 39 chars. */
const LOGIN = "[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}";
export const LOGIN_PATTERN = new RegExp(`^${LOGIN}$`);
const TEAM_SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** `owner/name`: the owner is a login (user or org). */
const REPO_PATTERN = new RegExp(`^${LOGIN}/[A-Za-z0-9_.-]{1,100}$`);
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is YYYY-MM-DD and names a day that exists (2026-02-30 does not). */
export function isRealDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const isoDate = z.string().refine(isRealDate, { message: "is not a real date in the form YYYY-MM-DD" });
const login = z.string().regex(LOGIN_PATTERN, { message: "is not a valid GitHub login" });
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

export const ROLES = ["chair", "co-chair", "fellow", "triager", "liaison"] as const;
export type Role = (typeof ROLES)[number];

export const memberSchema = z.strictObject({
  login,
  name: z.string().min(1).optional(),
  affiliation: z.string().min(1).optional(),
  roles: z.array(z.enum(ROLES)).default([]),
  joined: isoDate,
  reaffirmed: isoDate.optional(),
  /**
   * The last day of a fixed term (a Fellow's contract): on that day the sweep opens a charter PR
   * removing them, which the `charter` check passes as a term end. Must not be earlier than `joined`.
   */
  until: isoDate.optional(),
  /**
   * Onboarding is derived from `joined`. `false` exempts someone who was a member before (a returning
   * member or a fellow who already served); `true` asserts onboarding and is rejected once it has ended.
   */
  onboarding: z.boolean().optional(),
  /** Skipped by the triager rotation (holidays, leave). Still a member in every other way. */
  unavailable: z.boolean().default(false),
});

const approvalRule = z.enum(["consent", "majority", "unanimous"]);

export const policySchema = z.strictObject({
  onboarding: z.strictObject({ months: nonNegativeInt.default(2) }).prefault({}),
  nomination: z
    .strictObject({
      window_days: nonNegativeInt.default(14),
      rule: approvalRule.default("consent"),
      min_approvals: positiveInt.default(1),
      /**
       * Public repositories (besides the charter repository) whose issues count as nominations. The
       * check reads nothing private: a listed repository that is private counts for nothing.
       */
      repos: z.array(z.string().regex(REPO_PATTERN, { message: "must be owner/repo" })).default([]),
    })
    .prefault({}),
  removal: z
    .strictObject({
      rule: approvalRule.default("majority"),
      /** When set, a removal citation's link must start with one of these prefixes. */
      citations: z
        .array(z.string().regex(/^https:\/\/\S+$/, { message: "must be an https:// link prefix" }))
        .default([]),
    })
    .prefault({}),
  activity: z.strictObject({ min_reports_per_year: nonNegativeInt.default(1) }).prefault({}),
  reaffirmation: z
    .strictObject({
      month: z.number().int().min(1).max(12).default(12),
      day: z.number().int().min(1).max(31).default(1),
      grace_days: nonNegativeInt.default(30),
    })
    .prefault({}),
  reports: z
    .strictObject({
      acknowledge_within_days: positiveInt.default(2),
      owner_within_days: positiveInt.default(7),
      owner_idle_days: positiveInt.default(14),
      escalate_after_days: positiveInt.default(30),
    })
    .prefault({}),
  /** The two-person rule: how many full members other than the one who asks `/approve` a `/publish` (0: off). */
  publish: z.strictObject({ approvals: nonNegativeInt.default(1) }).prefault({}),
  sync: z
    .strictObject({
      drift: z.enum(["revert", "report"]).default("revert"),
      max_removals: nonNegativeInt.default(3),
    })
    .prefault({}),
});

export const charterSchema = z.strictObject({
  version: z.literal(1),
  org: login.describe("organization login"),
  team: z.string().regex(TEAM_SLUG_PATTERN, { message: "is not a valid team slug" }),
  tracker: z.string().regex(REPO_PATTERN, { message: "must be owner/repo" }),
  members: z.array(memberSchema).min(1),
  policy: policySchema.prefault({}),
  features: z.strictObject({ advisory_comments: z.boolean().default(false) }).prefault({}),
  labels: z
    .strictObject({
      report: z.string().min(1).default("security-report"),
      claim: z.string().min(1).default("claim"),
      needs_signoff: z.string().min(1).default("needs-sign-off"),
      stale: z.string().min(1).default("stale"),
    })
    .prefault({}),
});

export type Charter = z.infer<typeof charterSchema>;
export type Member = z.infer<typeof memberSchema>;
export type ApprovalRule = z.infer<typeof approvalRule>;
