import { ApiObject } from "cdk8s";
import { Construct } from "constructs";

export interface RuntimePodDisruptionBudgetProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

/** Keeps one runtime pod up through voluntary disruptions; made only when there are several. */
export class RuntimePodDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: RuntimePodDisruptionBudgetProps) {
    super(scope, id);
    new ApiObject(this, "Resource", {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: props.name, labels: props.labels },
      spec: { minAvailable: 1, selector: { matchLabels: props.selector } },
    });
  }
}
