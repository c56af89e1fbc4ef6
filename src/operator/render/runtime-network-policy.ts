import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { runtimePorts } from "./runtime-settings.js";

export interface RuntimeNetworkPolicyProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

/**
 * Ingress to the runtime only on its HTTP and metrics ports. Egress is left open here: NetworkPolicy
 * cannot name hosts, and the runtime enforces the connector's egress hosts itself.
 */
export class RuntimeNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: RuntimeNetworkPolicyProps) {
    super(scope, id);
    new ApiObject(this, "Resource", {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: props.name, labels: props.labels },
      spec: {
        podSelector: { matchLabels: props.selector },
        policyTypes: ["Ingress"],
        ingress: [
          {
            ports: [
              { protocol: "TCP", port: runtimePorts.http },
              { protocol: "TCP", port: runtimePorts.metrics },
            ],
          },
        ],
      },
    });
  }
}
