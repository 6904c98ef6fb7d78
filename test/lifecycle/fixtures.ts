import { APP_LOGIN } from "../helpers/github.js";
import { exampleResponse } from "../helpers/openapi.js";
import { merge, user } from "../helpers/payloads.js";

/**
 * An issue as `GET /repos/{owner}/{repo}/issues` lists it (GitHub's example, which is a pull request:
 * GitHub omits `pull_request` for plain issues), written by the app unless the patch says otherwise.
 */
export function listedIssue(patch: Record<string, unknown>): Record<string, unknown> {
  const [first] = exampleResponse("issues/list-for-repo") as Record<string, unknown>[];
  const { pull_request: _pr, ...plain } = first as Record<string, unknown>;
  return merge(plain, { user: user(APP_LOGIN, "Bot"), ...patch });
}
