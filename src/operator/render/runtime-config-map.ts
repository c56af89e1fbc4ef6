import { createHash } from "node:crypto";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";

export interface RuntimeConfigMapProps {
  /** The ConfigMap's name. */
  readonly name: string;
  readonly labels: Record<string, string>;
  /** The resolved runtime configuration: the connector at its resolved version and the Integration's spec. */
  readonly config: unknown;
}

/** The runtime's configuration as a file (`runtime.json`), and its hash, which rolls the pods when it changes. */
export class RuntimeConfigMap extends Construct {
  /** sha256 of the file's content, for the pod template annotation. */
  readonly hash: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: RuntimeConfigMapProps) {
    super(scope, id);
    const content = `${JSON.stringify(props.config, null, 2)}\n`;
    this.hash = createHash("sha256").update(content).digest("hex");
    this.name = props.name;
    new ApiObject(this, "Resource", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: props.name, labels: props.labels },
      data: { "runtime.json": content },
    });
  }
}
