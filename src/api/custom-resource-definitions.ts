import { group, version } from "./group.js";
import { connectorSpec, connectorStatus } from "./schema/connector-spec.js";
import { credentialSpec, credentialStatus } from "./schema/credential.js";
import { integrationSpec, integrationStatus } from "./schema/integration.js";
import { integrationPolicySpec, integrationPolicyStatus } from "./schema/integration-policy.js";
import type { Schema } from "./schema/schema-builders.js";
import { dns1035Label, dnsLabel } from "./schema/schema-builders.js";

interface Definition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: "Namespaced" | "Cluster";
  description: string;
  /** A tighter name rule than kube's default (a DNS subdomain), where the name ends up in other names. */
  name?: Schema;
  spec: Schema;
  status: Schema;
  columns: Schema[];
}

const readyCondition = '.status.conditions[?(@.type=="Ready")]';
const ready: Schema = { name: "Ready", type: "string", jsonPath: `${readyCondition}.status` };
const reason: Schema = { name: "Reason", type: "string", priority: 1, jsonPath: `${readyCondition}.reason` };
const statusMessage: Schema = {
  name: "Status",
  type: "string",
  priority: 1,
  jsonPath: `${readyCondition}.message`,
};
const age: Schema = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

const connectorColumns: Schema[] = [
  { name: "Display Name", type: "string", jsonPath: ".spec.displayName" },
  { name: "Category", type: "string", jsonPath: ".spec.category" },
  { name: "Version", type: "string", jsonPath: ".spec.version" },
  { name: "Maturity", type: "string", jsonPath: ".spec.maturity" },
  ready,
  { name: "Integrations", type: "integer", priority: 1, jsonPath: ".status.integrations" },
  { name: "Vendor", type: "string", priority: 1, jsonPath: ".spec.vendor" },
  reason,
  statusMessage,
  age,
];

// Connector names become label values on the objects an Integration owns; Integration names become
// Service names. Both are therefore DNS labels, checked at apply time rather than failing later.
const connectorName: Schema = {
  type: "string",
  description: "The connector's name, used as its id in the catalog and in connectorRef.",
  pattern: dnsLabel,
  maxLength: 63,
};

const definitions: Definition[] = [
  {
    kind: "Integration",
    plural: "integrations",
    singular: "integration",
    shortNames: ["intg"],
    scope: "Namespaced",
    description:
      "An Integration runs one connector with one team's credentials, configuration and flows: the operator turns it into a runtime Deployment that receives the vendor's webhooks and calls its API.",
    name: {
      type: "string",
      description:
        "The Integration's name; its Service takes it, so it is a DNS label that starts with a letter.",
      pattern: dns1035Label,
      maxLength: 63,
    },
    spec: integrationSpec,
    status: integrationStatus,
    columns: [
      { name: "Connector", type: "string", jsonPath: ".spec.connectorRef.name" },
      { name: "Version", type: "string", jsonPath: ".status.connector.version" },
      ready,
      { name: "Replicas", type: "integer", priority: 1, jsonPath: ".status.readyReplicas" },
      { name: "Suspended", type: "boolean", priority: 1, jsonPath: ".spec.suspend" },
      { name: "Webhook", type: "string", priority: 1, jsonPath: ".status.webhookURL" },
      reason,
      statusMessage,
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
      "A ClusterConnector defines a third-party system for the whole cluster: auth, API, webhooks, events and actions. Catalog entries are installed as ClusterConnectors.",
    name: connectorName,
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
      "A Connector defines a third-party system for one namespace, with the same fields as a ClusterConnector: a team's own connector, written by hand or imported from an OpenAPI document.",
    name: connectorName,
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
      "A Credential says how to authenticate to one system; its secret values stay in a Secret in the same namespace, which it references.",
    spec: credentialSpec,
    status: credentialStatus,
    columns: [
      { name: "Type", type: "string", jsonPath: ".spec.type" },
      { name: "Secret", type: "string", jsonPath: ".spec.secretRef.name" },
      ready,
      { name: "Verified", type: "date", priority: 1, jsonPath: ".status.lastVerifiedTime" },
      // A string: kubectl prints future dates of a `date` column as <invalid>.
      { name: "Expires", type: "string", priority: 1, jsonPath: ".status.expirationTime" },
      reason,
      statusMessage,
      age,
    ],
  },
  {
    kind: "IntegrationPolicy",
    plural: "integrationpolicies",
    singular: "integrationpolicy",
    shortNames: ["ipol"],
    scope: "Cluster",
    description:
      "An IntegrationPolicy governs Switchboard objects in the namespaces it selects: each rule denies, warns or audits.",
    spec: integrationPolicySpec,
    status: integrationPolicyStatus,
    columns: [
      { name: "Violations", type: "integer", jsonPath: ".status.audit.totalViolations" },
      { name: "Last Audit", type: "date", jsonPath: ".status.audit.lastRunTime" },
      ready,
      reason,
      statusMessage,
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
        description:
          "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
      },
      kind: {
        type: "string",
        description:
          "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.",
      },
      // kube-apiserver allows a CRD to constrain metadata.name and nothing else of metadata.
      metadata: definition.name
        ? { type: "object", properties: { name: definition.name } }
        : { type: "object" },
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
    metadata: {
      name: `${d.plural}.${group}`,
      labels: { "app.kubernetes.io/name": "switchboard", "app.kubernetes.io/part-of": "switchboard" },
    },
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
