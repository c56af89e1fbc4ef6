import { ApiObject } from "cdk8s";
import { Construct } from "constructs";

export interface RuntimeServiceAccountProps {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** The runtime's own identity; it is granted nothing by default. */
export class RuntimeServiceAccount extends Construct {
  constructor(scope: Construct, id: string, props: RuntimeServiceAccountProps) {
    super(scope, id);
    new ApiObject(this, "Resource", {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: props.name, labels: props.labels },
      automountServiceAccountToken: false,
    });
  }
}
