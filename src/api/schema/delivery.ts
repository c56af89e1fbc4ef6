import { rateLimit } from "./rate-limit.js";
import type { Schema } from "./schema-builders.js";
import { boolean, duration, integer, named, number, object, rule } from "./schema-builders.js";

const retry = named(
  "RetryPolicy",
  object(
    "Retries of failed attempts (network errors, 408, 425, 429 and 5xx), with exponential backoff and jitter; `Retry-After` is honoured.",
    {
      maxAttempts: integer("Attempts in all, the first included.", { default: 8, minimum: 1, maximum: 100 }),
      initialBackoff: duration("The wait before the first retry.", "1s"),
      maxBackoff: duration("The longest wait between attempts.", "5m"),
      multiplier: number("How much the wait grows after each attempt.", {
        default: 2,
        minimum: 1,
        maximum: 10,
      }),
      jitter: number("Random spread of each wait, as a fraction of it.", {
        default: 0.2,
        minimum: 0,
        maximum: 1,
      }),
      maxDuration: duration("Time after the first attempt when the event becomes a dead letter.", "24h"),
    },
    [],
    {
      "x-kubernetes-validations": [
        rule(
          "!has(self.initialBackoff) || !has(self.maxBackoff) || duration(self.initialBackoff) <= duration(self.maxBackoff)",
          "initialBackoff must not be longer than maxBackoff",
          { fieldPath: ".initialBackoff" },
        ),
      ],
    },
  ),
);

const circuitBreaker = named(
  "CircuitBreakerPolicy",
  object(
    "Stops calling a failing host for a while; meanwhile events wait in the journal, they are not failed.",
    {
      consecutiveFailures: integer("Failed attempts in a row that open the circuit.", {
        default: 5,
        minimum: 1,
        maximum: 1000,
      }),
      halfOpenAfter: duration("How long the circuit stays open before one trial call.", "30s"),
    },
  ),
);

const deadLetter = named(
  "DeadLetterPolicy",
  object("Events whose delivery failed for good: kept with their last error, to list and replay.", {
    enabled: boolean("Keep dead letters; when false they are logged and dropped.", { default: true }),
    retention: duration("How long dead letters are kept.", "168h"),
  }),
);

export const delivery: Schema = named(
  "DeliveryPolicy",
  object("How outbound calls behave: timeout, retries, circuit breaking, rate limit and dead letters.", {
    timeout: duration("Time allowed for one attempt.", "10s"),
    retry,
    circuitBreaker,
    rateLimit: rateLimit("A limit of this Integration's own, below the connector's documented one."),
    deadLetter,
  }),
);
