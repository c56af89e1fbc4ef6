import semver from "semver";
import type { KubeObject } from "../../apiserver/types.js";
import type { InstalledVersion } from "./connector-revisions.js";
import { installedVersion } from "./connector-revisions.js";

export type Resolution = { resolved: InstalledVersion } | { resolved: undefined; installed: string[] };

/**
 * The version an Integration runs: the highest installed version its range allows. A version whose
 * revision was deleted is kept only by the Integrations already pinned to it; nothing newly resolves
 * to it, so it goes once they move on.
 */
export function resolveConnectorVersion(
  revisions: KubeObject[],
  range: string,
  pinned: string | undefined,
): Resolution {
  const candidates = revisions
    .map(installedVersion)
    .filter((v) => !v.removalRequested || v.version === pinned);
  const best = semver.maxSatisfying(
    candidates.map((v) => v.version),
    range,
    { includePrerelease: true },
  );
  const resolved = best === null ? undefined : candidates.find((v) => v.version === best);
  if (resolved) return { resolved };
  return {
    resolved: undefined,
    installed: candidates.map((v) => v.version).sort((a, b) => semver.rcompare(a, b)),
  };
}
