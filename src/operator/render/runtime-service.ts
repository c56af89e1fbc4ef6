import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { runtimePorts } from "./runtime-settings.js";

export interface RuntimeServiceProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

/** The webhook receiver and action API on port 80, metrics on 9090. */
export class RuntimeService extends Construct {
  constructor(scope: Construct, id: string, props: RuntimeServiceProps) {
    super(scope, id);
    new ApiObject(this, "Resource", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: props.name, labels: props.labels },
      spec: {
        type: "ClusterIP",
        selector: props.selector,
        ports: [
          { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
          { name: "metrics", port: runtimePorts.metrics, targetPort: "metrics", protocol: "TCP" },
        ],
      },
    });
  }
}
