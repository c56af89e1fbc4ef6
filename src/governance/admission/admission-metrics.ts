import { Counter, Histogram, Registry } from "prom-client";

/** What the admission webhook counts; label values are bounded (kinds, operations, decisions, policy names). */
export class AdmissionMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "switchboard_admission_requests_total",
    help: "Admission reviews answered, by kind, operation and decision (allowed, denied, invalid, malformed, error).",
    labelNames: ["kind", "operation", "decision"],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "switchboard_admission_duration_seconds",
    help: "Time to answer an admission review, from the request's first byte to the answer.",
    labelNames: ["kind"],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly violations = new Counter({
    name: "switchboard_admission_policy_violations_total",
    help: "Policy violations found at admission, by policy, rule and enforcement.",
    labelNames: ["policy", "rule", "enforcement"],
    registers: [this.registry],
  });
}
