import type { KubeObject } from "../../src/apiserver/types.js";

/**
 * A small CRD that exercises what the server does with custom resources: two versions, status
 * subresource, printer columns, defaults, enums, patterns, required fields, a CEL rule, a list map.
 */
export function widgetCrd(overrides: { scope?: "Namespaced" | "Cluster" } = {}): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.switchboard.dev" },
    spec: {
      group: "example.switchboard.dev",
      scope: overrides.scope ?? "Namespaced",
      names: {
        plural: "widgets",
        singular: "widget",
        kind: "Widget",
        shortNames: ["wd"],
        categories: ["switchboard"],
      },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: widgetSchema() },
          additionalPrinterColumns: columns(),
        },
        {
          name: "v1beta1",
          served: true,
          storage: false,
          subresources: { status: {} },
          schema: { openAPIV3Schema: widgetSchema() },
          additionalPrinterColumns: columns(),
        },
      ],
    },
  };
}

function columns(): unknown[] {
  return [
    { name: "Size", type: "string", jsonPath: ".spec.size" },
    { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  ];
}

function widgetSchema(): Record<string, unknown> {
  return {
    type: "object",
    properties: {
      spec: {
        type: "object",
        required: ["size"],
        "x-kubernetes-validations": [
          { rule: "self.replicas <= self.maxReplicas", message: "replicas must not exceed maxReplicas" },
        ],
        properties: {
          size: { type: "string", enum: ["small", "medium", "large"], description: "How big the widget is." },
          color: { type: "string", pattern: "^[a-z]+$", default: "blue" },
          replicas: { type: "integer", minimum: 0, default: 1 },
          maxReplicas: { type: "integer", default: 10 },
          ports: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            items: {
              type: "object",
              required: ["name"],
              properties: { name: { type: "string" }, port: { type: "integer" } },
            },
          },
          labels: { type: "object", additionalProperties: { type: "string" } },
          extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      },
      status: {
        type: "object",
        properties: {
          observedGeneration: { type: "integer" },
          conditions: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["type"],
            items: {
              type: "object",
              required: ["type", "status"],
              properties: {
                type: { type: "string" },
                status: { type: "string" },
                reason: { type: "string" },
                message: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}
