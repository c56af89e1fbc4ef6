import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { ConnectorSpec, CredentialSpec, Integration } from "../../api/types.js";
import type { PersonalDataRules } from "../../runtime/flows/personal-data.js";
import { RuntimeConfigMap } from "./runtime-config-map.js";
import { RuntimeDeployment } from "./runtime-deployment.js";
import { runtimeLabels, runtimeSelector } from "./runtime-labels.js";
import { RuntimeNetworkPolicy } from "./runtime-network-policy.js";
import { RuntimePodDisruptionBudget } from "./runtime-pod-disruption-budget.js";
import { RuntimeService } from "./runtime-service.js";
import { RuntimeServiceAccount } from "./runtime-service-account.js";
import type { RuntimeSettings } from "./runtime-settings.js";

export interface IntegrationChartProps {
  readonly integration: Integration;
  /** The connector the Integration resolved to. */
  readonly connector: {
    readonly kind: string;
    readonly name: string;
    readonly version: string;
    readonly spec: ConnectorSpec;
  };
  /** The Secret of the Integration's Credential, when it has one. */
  readonly credentialSecretName?: string;
  /** The Credential's spec (how to authenticate; never a secret value), when it has one. */
  readonly credential?: CredentialSpec;
  /** Fields policies ask the runtime to take out of events before they leave the cluster. */
  readonly personalData?: PersonalDataRules;
  readonly settings: RuntimeSettings;
}

/**
 * Everything one Integration runs as: its ConfigMap, ServiceAccount, Deployment, Service,
 * NetworkPolicy, and a PodDisruptionBudget when it runs more than one replica. All in the
 * Integration's namespace and owned by it.
 */
export class IntegrationChart extends Chart {
  constructor(scope: Construct, id: string, props: IntegrationChartProps) {
    const { integration, connector } = props;
    const namespace = integration.metadata.namespace ?? "default";
    const name = integration.metadata.name ?? "";
    super(scope, id, { namespace, disableResourceNameHashes: true });
    const labels = runtimeLabels(name, connector.name);
    const selector = runtimeSelector(name);
    const spec = integration.spec;
    const replicas = spec.suspend ? 0 : (spec.replicas ?? 1);
    const config = new RuntimeConfigMap(this, "config", {
      name: `${name}-runtime`,
      labels,
      config: {
        integration: { namespace, name, spec },
        connector: {
          kind: connector.kind,
          name: connector.name,
          version: connector.version,
          spec: connector.spec,
        },
        ...(props.credential ? { credential: props.credential } : {}),
        ...(props.personalData ? { governance: { personalData: props.personalData } } : {}),
      },
    });
    new RuntimeServiceAccount(this, "service-account", { name, labels });
    new RuntimeDeployment(this, "deployment", {
      name,
      labels,
      selector,
      replicas,
      configMapName: config.name,
      configHash: config.hash,
      serviceAccountName: name,
      settings: props.settings,
      ...(props.credentialSecretName ? { credentialSecretName: props.credentialSecretName } : {}),
      ...(spec.webhook?.secretRef?.name ? { webhookSecretName: spec.webhook.secretRef.name } : {}),
      sinkSecretNames: [
        ...new Set(
          (spec.flows ?? []).flatMap((f) => (f.target.sink?.secretRef ? [f.target.sink.secretRef.name] : [])),
        ),
      ].sort(),
      ...(spec.resources && (spec.resources.requests || spec.resources.limits)
        ? { resources: spec.resources }
        : {}),
    });
    new RuntimeService(this, "service", { name, labels, selector });
    new RuntimeNetworkPolicy(this, "network-policy", { name, labels, selector });
    if (replicas > 1)
      new RuntimePodDisruptionBudget(this, "pod-disruption-budget", { name, labels, selector });
  }
}
