import type { VerificationResult } from "./inbound-request.js";
import { failed } from "./inbound-request.js";

/** A signed Unix timestamp checked against the tolerance, to the past and the future; undefined when fine. */
export function checkTimestamp(
  value: string | undefined,
  where: string,
  toleranceSeconds: number,
  now: Date,
): VerificationResult | undefined {
  if (value === undefined) return failed("missing-signature", `${where} is missing`);
  if (!/^\d{1,12}$/.test(value))
    return failed("malformed-signature", `${where} is not a Unix time in seconds`);
  const skew = Math.round(now.getTime() / 1000 - Number(value));
  if (Math.abs(skew) > toleranceSeconds)
    return failed(
      "stale-timestamp",
      `${where} is ${Math.abs(skew)} s ${skew > 0 ? "old" : "in the future"}; tolerance is ${toleranceSeconds} s`,
    );
  return undefined;
}
