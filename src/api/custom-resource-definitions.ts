import { apiVersion, group, version } from "./group.js";
import { connectorSpec, connectorStatus } from "./schema/connector-spec.js";
import { credentialSpec, credentialStatus } from "./schema/credential.js";
import { integrationSpec, integrationStatus } from "./schema/integration.js";
import { integrationPolicySpec, integrationPolicyStatus } from "./schema/integration-policy.js";
import type { Schema } from "./schema/schema-builders.js";

interface Definition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: "Namespaced" | "Cluster";
  description: string;
  spec: Schema;
  status: Schema;
  columns: Schema[];
}

const ready = (name = "Ready"): Schema => ({
  name,
  type: "string",
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
});
const reason: Schema = {
  name: "Reason",
  type: "string",
  priority: 1,
  jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
};
const age: Schema = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

const connectorColumns: Schema[] = [
  { name: "Display Name", type: "string", jsonPath: ".spec.displayName" },
  { name: "Category", type: "string", jsonPath: ".spec.category" },
  { name: "Version", type: "string", jsonPath: ".spec.version" },
  { name: "Maturity", type: "string", jsonPath: ".spec.maturity" },
  ready(),
  age,
];

const definitions: Definition[] = [
  {
    kind: "Integration",
    plural: "integrations",
    singular: "integration",
    shortNames: ["intg"],
    scope: "Namespaced",
    description: "An Integration runs one connector with one team's credentials, configuration and flows.",
    spec: integrationSpec,
    status: integrationStatus,
    columns: [
      { name: "Connector", type: "string", jsonPath: ".spec.connectorRef.name" },
      { name: "Version", type: "string", jsonPath: ".status.connector.version" },
      ready(),
      reason,
      { name: "Webhook", type: "string", priority: 1, jsonPath: ".status.webhookURL" },
      age,
    ],
  },
  {
    kind: "ClusterConnector",
    plural: "clusterconnectors",
    singular: "clusterconnector",
    shortNames: ["ccon"],
    scope: "Cluster",
    description:
      "A ClusterConnector defines a third-party system for the whole cluster; catalog entries are installed as ClusterConnectors.",
    spec: connectorSpec,
    status: connectorStatus,
    columns: connectorColumns,
  },
  {
    kind: "Connector",
    plural: "connectors",
    singular: "connector",
    shortNames: ["con"],
    scope: "Namespaced",
    description:
      "A Connector defines a third-party system for one namespace: a team's own connector, written by hand or imported from OpenAPI.",
    spec: connectorSpec,
    status: connectorStatus,
    columns: connectorColumns,
  },
  {
    kind: "Credential",
    plural: "credentials",
    singular: "credential",
    shortNames: ["cred"],
    scope: "Namespaced",
    description:
      "A Credential says how to authenticate to one system; its secret values stay in a referenced Secret.",
    spec: credentialSpec,
    status: credentialStatus,
    columns: [
      { name: "Type", type: "string", jsonPath: ".spec.type" },
      { name: "Secret", type: "string", jsonPath: ".spec.secretRef.name" },
      ready(),
      { name: "Expires", type: "date", priority: 1, jsonPath: ".status.expiresAt" },
      age,
    ],
  },
  {
    kind: "IntegrationPolicy",
    plural: "integrationpolicies",
    singular: "integrationpolicy",
    shortNames: ["ipol"],
    scope: "Cluster",
    description: "An IntegrationPolicy governs what Switchboard objects may do in the namespaces it selects.",
    spec: integrationPolicySpec,
    status: integrationPolicyStatus,
    columns: [
      { name: "Violations", type: "integer", jsonPath: ".status.audit.violationCount" },
      ready(),
      age,
    ],
  },
];

/** The openAPIV3Schema of one kind: the same object the CRD carries and the validator compiles. */
export function kindSchema(kind: string): Schema | undefined {
  const definition = definitions.find((d) => d.kind === kind);
  return definition ? rootSchema(definition) : undefined;
}

function rootSchema(definition: Definition): Schema {
  return {
    type: "object",
    description: definition.description,
    required: ["spec"],
    properties: {
      apiVersion: {
        type: "string",
        description: "APIVersion defines the versioned schema of this representation of an object.",
      },
      kind: {
        type: "string",
        description: "Kind is a string value representing the REST resource this object represents.",
      },
      metadata: { type: "object" },
      spec: definition.spec,
      status: definition.status,
    },
  };
}

/** The five CustomResourceDefinitions, as `npm run generate` writes them to `crds/`. */
export function customResourceDefinitions(): Schema[] {
  return definitions.map((d) => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${d.plural}.${group}`, labels: { "app.kubernetes.io/part-of": "switchboard" } },
    spec: {
      group,
      scope: d.scope,
      names: {
        kind: d.kind,
        listKind: `${d.kind}List`,
        plural: d.plural,
        singular: d.singular,
        shortNames: d.shortNames,
        categories: ["switchboard"],
      },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: d.columns,
          schema: { openAPIV3Schema: rootSchema(d) },
        },
      ],
    },
  }));
}

export { apiVersion };
