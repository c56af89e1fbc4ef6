import { group } from "../../api/group.js";
import { systemNamespaces } from "../policy/evaluate-policies.js";

export const webhookConfigurationName = "switchboard";
export const webhookName = "validate.switchboard.dev";

/**
 * The ValidatingWebhookConfiguration that sends Switchboard's kinds to the webhook: create and update
 * of every kind (delete is not reviewed: no rule needs it), failing closed, without side effects, in a
 * short time, never for the cluster's own namespaces. Reached through its Service, or a URL (local).
 */
export function validatingWebhookConfiguration(options: {
  caBundle: string;
  service?: { namespace: string; name: string; port?: number };
  url?: string;
  timeoutSeconds?: number;
}): Record<string, unknown> {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: {
      name: webhookConfigurationName,
      labels: { "app.kubernetes.io/name": "switchboard", "app.kubernetes.io/component": "webhook" },
    },
    webhooks: [
      {
        name: webhookName,
        clientConfig: {
          caBundle: options.caBundle,
          ...(options.url
            ? { url: options.url }
            : { service: { ...options.service, path: "/validate", port: options.service?.port ?? 443 } }),
        },
        rules: [
          {
            apiGroups: [group],
            apiVersions: ["v1alpha1"],
            operations: ["CREATE", "UPDATE"],
            resources: [
              "integrations",
              "connectors",
              "clusterconnectors",
              "credentials",
              "integrationpolicies",
            ],
            scope: "*",
          },
        ],
        failurePolicy: "Fail",
        sideEffects: "None",
        timeoutSeconds: options.timeoutSeconds ?? 5,
        admissionReviewVersions: ["v1"],
        matchPolicy: "Equivalent",
        namespaceSelector: {
          matchExpressions: [
            { key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...systemNamespaces] },
          ],
        },
        matchConditions: [
          // An object being deleted only loses finalizers: a policy tightened since must not hold it.
          { name: "not-being-deleted", expression: "!has(object.metadata.deletionTimestamp)" },
        ],
      },
    ],
  };
}
