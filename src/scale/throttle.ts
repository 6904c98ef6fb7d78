import { ProbotOctokit } from "probot";

/**
 * Probot's Octokit with GitHub's throttling kept per installation: plugin-throttling's queues are
 * keyed by `throttle.id` (one shared "no-id" otherwise, so one busy org slowed every other). With
 * `REDIS_URL` Probot keeps those queues in Redis, so replicas share each installation's pace.
 */
export const PerInstallationOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => {
  const installationId = (options.auth as { installationId?: number } | undefined)?.installationId;
  if (installationId === undefined) return options;
  return {
    ...options,
    throttle: { ...(options.throttle as object), id: `security-team-installation-${installationId}` },
  };
});
