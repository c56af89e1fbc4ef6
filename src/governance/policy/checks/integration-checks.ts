import type { IntegrationSpec } from "../../../api/types.js";
import type { Check, CheckFailure } from "../governed-object.js";
import { globMatch } from "../governed-object.js";

/** What an Integration reaches and asks for: egress hosts, inbound verification, limits. */
export const integrationChecks: Record<string, Check> = {
  egressHosts: (object, rule, context) => {
    if (object.kind !== "Integration" || !rule.egressHosts) return [];
    const spec = object.spec as IntegrationSpec;
    const allowed = rule.egressHosts.allowed;
    const ok = (host: string) => allowed.some((glob) => globMatch(glob, host.toLowerCase()));
    const failures: CheckFailure[] = [];
    const comply = `allowed hosts: ${allowed.join(", ") || "none"}`;
    const connector = context.connectorOf(object.namespace ?? "", spec);
    for (const host of connector?.spec.egressHosts ?? [])
      if (!ok(host))
        failures.push({
          field: "spec.connectorRef.name",
          message: `connector ${connector?.name ?? ""} calls ${host}, which is not an allowed host (${comply})`,
        });
    (spec.egress?.allowedHosts ?? []).forEach((host, index) => {
      if (!ok(host))
        failures.push({
          field: `spec.egress.allowedHosts[${index}]`,
          message: `${host} is not an allowed host (${comply})`,
        });
    });
    (spec.flows ?? []).forEach((flow, index) => {
      const url = flow.target.sink?.url;
      if (!url) return;
      const host = URL.canParse(url) ? new URL(url).hostname : undefined;
      if (host === undefined) return; // The schema reports a bad URL.
      if (!ok(host))
        failures.push({
          field: `spec.flows[${index}].target.sink.url`,
          message: `the sink's host ${host} is not an allowed host (${comply})`,
        });
    });
    return failures;
  },

  inboundVerification: (object, rule, context) => {
    if (!rule.inboundVerification) return [];
    const allowedSchemes = rule.inboundVerification.allowedSchemes;
    let scheme: string | undefined;
    let field: string;
    let what: string;
    if (object.kind === "Integration") {
      const connector = context.connectorOf(object.namespace ?? "", object.spec as IntegrationSpec);
      scheme = connector?.spec.webhook?.verification.scheme;
      field = "spec.connectorRef.name";
      what = `connector ${connector?.name ?? ""} verifies webhooks with`;
    } else if (object.kind === "Connector" || object.kind === "ClusterConnector") {
      scheme = (object.spec as { webhook?: { verification: { scheme: string } } }).webhook?.verification
        .scheme;
      field = "spec.webhook.verification.scheme";
      what = "webhooks are verified with";
    } else return [];
    if (scheme === undefined) return [];
    if (scheme === "none")
      return [
        { field, message: `${what} scheme none: inbound webhooks must be verified (use a signed scheme)` },
      ];
    if (allowedSchemes && !allowedSchemes.includes(scheme as (typeof allowedSchemes)[number]))
      return [{ field, message: `${what} ${scheme}; allowed schemes: ${allowedSchemes.join(", ")}` }];
    return [];
  },

  limits: (object, rule, context) => {
    if (object.kind !== "Integration" || !rule.limits) return [];
    const spec = object.spec as IntegrationSpec;
    const { maxReplicas, maxRate, maxFlows } = rule.limits;
    const failures: CheckFailure[] = [];
    const replicas = spec.replicas ?? 1;
    if (maxReplicas !== undefined && replicas > maxReplicas)
      failures.push({
        field: "spec.replicas",
        message: `${replicas} replicas, more than the ${maxReplicas} allowed`,
      });
    const flows = spec.flows?.length ?? 0;
    if (maxFlows !== undefined && flows > maxFlows)
      failures.push({ field: "spec.flows", message: `${flows} flows, more than the ${maxFlows} allowed` });
    if (maxRate) {
      const own = spec.delivery?.rateLimit;
      const rate = own ?? context.connectorOf(object.namespace ?? "", spec)?.spec.rateLimits;
      const perSecond = (r: { requests: number; period?: string }) => r.requests / seconds(r.period ?? "1s");
      if (!rate)
        failures.push({
          field: "spec.delivery.rateLimit",
          message: `no rate limit: set spec.delivery.rateLimit at or below ${maxRate.requests} per ${maxRate.period ?? "1s"}`,
        });
      else if (perSecond(rate) > perSecond(maxRate))
        failures.push({
          field: own ? "spec.delivery.rateLimit" : "spec.connectorRef.name",
          message: `${rate.requests} requests per ${rate.period ?? "1s"}${own ? "" : " (the connector's documented rate)"}, above the ${maxRate.requests} per ${maxRate.period ?? "1s"} allowed: set spec.delivery.rateLimit lower`,
        });
    }
    return failures;
  },
};

/** Seconds in a Go duration such as `1s`, `1m`, `1h30m`. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, value, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
    total += Number(value) * ({ ms: 0.001, s: 1, m: 60, h: 3600 }[unit ?? "s"] ?? 1);
  return total || 1;
}
