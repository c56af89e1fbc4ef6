import { App } from "cdk8s";
import type { KubeObject, OwnerReference } from "../../apiserver/types.js";
import type { IntegrationChartProps } from "./integration-chart.js";
import { IntegrationChart } from "./integration-chart.js";

/** The objects one Integration owns, rendered with cdk8s and stamped with its controller ownerReference. */
export function renderIntegration(props: IntegrationChartProps): KubeObject[] {
  const chart = new IntegrationChart(new App(), "integration", props);
  const { integration } = props;
  const owner: OwnerReference = {
    apiVersion: integration.apiVersion,
    kind: integration.kind,
    name: integration.metadata.name ?? "",
    uid: integration.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
  return (chart.toJson() as KubeObject[]).map((object) => ({
    ...object,
    metadata: { ...object.metadata, ownerReferences: [owner] },
  }));
}
