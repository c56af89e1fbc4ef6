import { describe, expect, it } from "vitest";
import { vendorWaitMs } from "./rate-limiter.js";

const headers = (values: Record<string, string>) => ({
  get: (name: string) => values[name.toLowerCase()] ?? null,
});

describe("the vendor's limit signals", () => {
  const now = Date.parse("2026-11-25T10:00:00Z");

  it.each([
    ["429 Retry-After in seconds", 429, { "retry-after": "7" }, 7_000],
    ["429 Retry-After as a date", 429, { "retry-after": "Wed, 25 Nov 2026 10:00:30 GMT" }, 30_000],
    ["503 Retry-After", 503, { "retry-after": "2" }, 2_000],
    [
      "RateLimit-Remaining 0 with RateLimit-Reset seconds (IETF draft)",
      200,
      { "ratelimit-remaining": "0", "ratelimit-reset": "12" },
      12_000,
    ],
    [
      "X-RateLimit-Remaining 0 with a Unix reset time (GitHub)",
      200,
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 60) },
      60_000,
    ],
    ["a 429 that says nothing: a second", 429, {}, 1_000],
  ])("%s", (_name, status, values, wait) => {
    expect(vendorWaitMs(status, headers(values), now)).toBe(wait);
  });

  it("nothing to wait for while some of the limit remains", () => {
    expect(
      vendorWaitMs(200, headers({ "x-ratelimit-remaining": "10", "x-ratelimit-reset": "1800000000" }), now),
    ).toBeUndefined();
    expect(vendorWaitMs(500, headers({ "retry-after": "5" }), now)).toBeUndefined();
  });
});
