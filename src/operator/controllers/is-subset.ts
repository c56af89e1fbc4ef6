import { isDeepStrictEqual } from "node:util";

/**
 * Whether every field of `desired` holds the same value in `live`: the test for "nothing to apply",
 * since the live object also carries what the server defaulted and what others own.
 */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      desired.length === live.length &&
      desired.every((item, i) => isSubset(item, live[i]))
    );
  }
  if (desired && typeof desired === "object") {
    if (!live || typeof live !== "object" || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) =>
      isSubset(value, (live as Record<string, unknown>)[key]),
    );
  }
  return isDeepStrictEqual(desired, live);
}
