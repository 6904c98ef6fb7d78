import type { GitHub } from "../core/executor.js";
import type { Identity } from "../core/identity.js";

/**
 * What the readers in this folder need: a client for reads and who the app is (to tell its own content
 * apart). A runtime or a delivery's context is one; a test passes any object with the two.
 */
export interface GitHubReader {
  octokit: GitHub;
  self(): Promise<Identity>;
}
