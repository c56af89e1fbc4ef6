import type { Schema } from "./schema-builders.js";
import { duration, integer, named, object, url } from "./schema-builders.js";

// A rate is a count and a period, as vendors document it (`5000` per `1h`), rather than a float: it
// round-trips exactly and policies can compare two rates.
function rateLimitProperties(): Record<string, Schema> {
  return {
    requests: integer("Requests allowed per period.", { minimum: 1, maximum: 1000000000 }),
    period: duration("The period `requests` is counted over.", "1s"),
    burst: integer("Requests that may go at once before the steady rate applies; `requests` when unset.", {
      minimum: 1,
      maximum: 1000000,
    }),
    concurrency: integer("Requests in flight at once; unlimited when unset.", { minimum: 1, maximum: 10000 }),
  };
}

/** A request rate limit: `requests` per `period`, with an optional burst and concurrency. */
export function rateLimit(description: string): Schema {
  return named(
    "RateLimit",
    object(description, rateLimitProperties(), ["requests"]),
    "A request rate limit: `requests` per `period`, with an optional burst and concurrency.",
  );
}

/** A vendor's documented limit, with where it is documented. */
export function documentedRateLimit(description: string): Schema {
  return named(
    "DocumentedRateLimit",
    object(
      description,
      { ...rateLimitProperties(), documentation: url("Where the vendor documents the limit.") },
      ["requests"],
    ),
  );
}
