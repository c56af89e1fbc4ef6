import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { GovernanceCache } from "../admission/governance-cache.js";
import type { KubeClient } from "../../operator/kube/kube-client.js";
import { evaluatePolicies } from "../policy/evaluate-policies.js";

/** How many violations a policy's status lists; all are counted. */
export const listedViolations = 50;

/**
 * Gatekeeper's audit, for IntegrationPolicies: every existing governed object checked against every
 * policy, whatever the enforcement (objects may predate a policy, and `audit` rules only show here),
 * and each policy's status given the count and the first violations. A status is written only when
 * what it reports changed.
 */
export async function auditPolicies(
  cache: GovernanceCache,
  client: KubeClient,
  log: Logger,
  now: Date = new Date(),
): Promise<{ policies: number; violations: number }> {
  const policies = cache.policies();
  const context = cache.context();
  const objects = cache.governedObjects();
  let total = 0;
  for (const policy of policies) {
    const violations = objects.flatMap(({ kind, object }) =>
      evaluatePolicies(
        [policy],
        {
          kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name ?? "",
          labels: object.metadata.labels ?? {},
          spec: object.spec,
        },
        context,
      ),
    );
    total += violations.length;
    const listed = violations.slice(0, listedViolations).map((v) => ({
      kind: v.kind,
      ...(v.namespace ? { namespace: v.namespace } : {}),
      name: v.name,
      rule: v.rule,
      enforcement: v.enforcement,
      field: v.field,
      message: v.message.slice(0, 2048),
    }));
    const current = cache.policyStatus(policy.name)?.audit as
      { totalViolations?: number; violations?: unknown[] } | undefined;
    if (
      current &&
      current.totalViolations === violations.length &&
      isDeepStrictEqual(current.violations ?? [], listed)
    )
      continue;
    try {
      await client.request(
        "PATCH",
        `/apis/switchboard.dev/v1alpha1/integrationpolicies/${policy.name}/status`,
        {
          status: {
            audit: { lastRunTime: now.toISOString(), totalViolations: violations.length, violations: listed },
          },
        },
        "application/merge-patch+json",
      );
    } catch (error) {
      log.warn({ err: error, policy: policy.name }, "could not write the policy's audit status");
    }
  }
  return { policies: policies.length, violations: total };
}
