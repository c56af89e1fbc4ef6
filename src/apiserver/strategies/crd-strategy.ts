import type { CrdSpec } from "../resources/custom-resource-types.js";
import type { FieldError, KubeObject } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

export const crdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

/**
 * CustomResourceDefinitions: names and versions checked as kube does, defaults filled, and the
 * status a real server reports once a CRD is served (NamesAccepted, Established, storedVersions).
 * `schemaErrors` reports problems in a version's openAPIV3Schema (structural rules, CEL that does not compile).
 */
export function crdStrategy(
  schemaErrors: (schema: Record<string, unknown>, path: string) => FieldError[],
): KindStrategy {
  return {
    prepareForCreate(crd, context) {
      defaults(crd);
      crd.metadata.finalizers = [...new Set([...(crd.metadata.finalizers ?? []), crdCleanupFinalizer])];
      crd.status = establishedStatus(crd, [], context.now);
    },
    prepareForUpdate(crd, old, context) {
      defaults(crd);
      const stored = (
        (old.status as { storedVersions?: string[] } | undefined)?.storedVersions ?? []
      ).slice();
      crd.status = establishedStatus(crd, stored, context.now, old);
    },
    validate(crd) {
      return validateCrd(crd, schemaErrors);
    },
  };
}

function defaults(crd: KubeObject): void {
  const spec = crd.spec as CrdSpec & { conversion?: unknown };
  if (!spec || typeof spec !== "object") return;
  if (spec.names && typeof spec.names === "object" && typeof spec.names.kind === "string") {
    spec.names.singular ??= spec.names.kind.toLowerCase();
    spec.names.listKind ??= `${spec.names.kind}List`;
  }
  spec.conversion ??= { strategy: "None" };
}

function establishedStatus(
  crd: KubeObject,
  storedVersions: string[],
  now: Date,
  old?: KubeObject,
): Record<string, unknown> {
  const spec = crd.spec as CrdSpec;
  const storage = spec.versions.find((v) => v.storage)?.name;
  if (storage && !storedVersions.includes(storage)) storedVersions.push(storage);
  const time = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const previous =
    (old?.status as { conditions?: { type: string; lastTransitionTime: string }[] } | undefined)
      ?.conditions ?? [];
  const since = (type: string): string => previous.find((c) => c.type === type)?.lastTransitionTime ?? time;
  const terminating = crd.metadata.deletionTimestamp !== undefined;
  const conditions = [
    {
      type: "NamesAccepted",
      status: "True",
      reason: "NoConflicts",
      message: "no conflicts found",
      lastTransitionTime: since("NamesAccepted"),
    },
    {
      type: "Established",
      status: "True",
      reason: "InitialNamesAccepted",
      message: "the initial names have been accepted",
      lastTransitionTime: since("Established"),
    },
  ];
  if (terminating) {
    conditions.push({
      type: "Terminating",
      status: "True",
      reason: "InstanceDeletionInProgress",
      message: "CustomResource deletion is in progress",
      lastTransitionTime: since("Terminating"),
    });
  }
  return { conditions, acceptedNames: spec.names, storedVersions };
}

function validateCrd(
  crd: KubeObject,
  schemaErrors: (schema: Record<string, unknown>, path: string) => FieldError[],
): FieldError[] {
  const errors: FieldError[] = [];
  const required = (field: string): void => {
    errors.push({ reason: "FieldValueRequired", field, message: "Required value" });
  };
  const spec = crd.spec as Partial<CrdSpec> | undefined;
  if (!spec || typeof spec !== "object") {
    required("spec");
    return errors;
  }
  if (!spec.group) required("spec.group");
  else if (!spec.group.includes(".")) {
    errors.push({
      reason: "FieldValueInvalid",
      field: "spec.group",
      message: `Invalid value: "${spec.group}": should be a domain with at least one dot`,
    });
  }
  if (!spec.names?.plural) required("spec.names.plural");
  if (!spec.names?.kind) required("spec.names.kind");
  if (spec.names?.plural && spec.names.plural !== spec.names.plural.toLowerCase()) {
    errors.push({
      reason: "FieldValueInvalid",
      field: "spec.names.plural",
      message: `Invalid value: "${spec.names.plural}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
    });
  }
  if (spec.group && spec.names?.plural && crd.metadata.name !== `${spec.names.plural}.${spec.group}`) {
    errors.push({
      reason: "FieldValueInvalid",
      field: "metadata.name",
      message: `Invalid value: "${crd.metadata.name ?? ""}": must be spec.names.plural+"."+spec.group`,
    });
  }
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    errors.push({
      reason: "FieldValueNotSupported",
      field: "spec.scope",
      message: `Unsupported value: "${String(spec.scope ?? "")}": supported values: "Cluster", "Namespaced"`,
    });
  }
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
    errors.push({
      reason: "FieldValueInvalid",
      field: "spec.versions",
      message: "Invalid value: null: must have exactly one version marked as storage version",
    });
    return errors;
  }
  const storage = spec.versions.filter((v) => v.storage);
  if (storage.length !== 1) {
    errors.push({
      reason: "FieldValueInvalid",
      field: "spec.versions",
      message: `Invalid value: ${JSON.stringify(spec.versions.map((v) => v.name))}: must have exactly one version marked as storage version`,
    });
  }
  spec.versions.forEach((version, i) => {
    if (!version.name || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(version.name)) {
      errors.push({
        reason: "FieldValueInvalid",
        field: `spec.versions[${i}].name`,
        message: `Invalid value: "${version.name ?? ""}": must be a DNS-1035 label`,
      });
    }
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) required(`spec.versions[${i}].schema.openAPIV3Schema`);
    else errors.push(...schemaErrors(schema, `spec.versions[${i}].schema.openAPIV3Schema`));
  });
  return errors;
}
