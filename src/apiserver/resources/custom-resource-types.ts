import type { KubeObject } from "../types.js";
import type { PrinterColumn, ResourceType } from "./resource-type.js";
import { allVerbs } from "./resource-type.js";

/** The parts of a CustomResourceDefinition's spec the server reads. */
export interface CrdSpec {
  group: string;
  scope: "Namespaced" | "Cluster";
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: {
    name: string;
    served: boolean;
    storage: boolean;
    schema?: { openAPIV3Schema?: Record<string, unknown> };
    subresources?: { status?: object; scale?: object };
    additionalPrinterColumns?: PrinterColumn[];
    selectableFields?: { jsonPath: string }[];
    deprecated?: boolean;
    deprecationWarning?: string;
  }[];
}

export function crdSpec(crd: KubeObject): CrdSpec {
  return crd.spec as CrdSpec;
}

/** The resources a CRD serves: one ResourceType per served version, sharing one store. */
export function customResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = crdSpec(crd);
  const storage = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name ?? "v1";
  const name = crd.metadata.name ?? `${spec.names.plural}.${spec.group}`;
  return spec.versions
    .filter((v) => v.served)
    .map((v) => ({
      group: spec.group,
      version: v.name,
      kind: spec.names.kind,
      listKind: spec.names.listKind ?? `${spec.names.kind}List`,
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      namespaced: spec.scope !== "Cluster",
      shortNames: spec.names.shortNames ?? [],
      categories: spec.names.categories ?? [],
      verbs: allVerbs,
      statusSubresource: v.subresources?.status !== undefined,
      tracksGeneration: true,
      nameValidation: "path-segment",
      // As kube: a CRD's own columns replace the default Age column.
      printerColumns: v.additionalPrinterColumns ?? [
        { name: "Age", type: "date" as const, jsonPath: ".metadata.creationTimestamp" },
      ],
      selectableFields: (v.selectableFields ?? []).map((f) => f.jsonPath.replace(/^\./, "")),
      storageKey: `${spec.names.plural}.${spec.group}`,
      storageVersion: `${spec.group}/${storage}`,
      definedBy: name,
      ...(v.schema?.openAPIV3Schema ? { schema: v.schema.openAPIV3Schema } : {}),
    }));
}
