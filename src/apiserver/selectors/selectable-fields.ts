import { ApiError } from "../api-error.js";
import {
  fieldSelectorMatcher,
  parseFieldSelector,
  type FieldReader,
  type FieldRequirement,
} from "./field-selector.js";
import { quote } from "./go-text.js";

/**
 * What a kind's field selectors may name, per kube-apiserver's field label conversion functions
 * (`AddFieldLabelConversionFunc` in pkg/apis/<group>/<version>/conversion.go; for custom resources,
 * apiextensions-apiserver's converter), and how its field set reads an object.
 */
export interface SelectableFields {
  /** Each label a client may send, mapped to the field of the kind's field set it selects. */
  readonly labels: ReadonlyMap<string, string>;
  /** The message kube-apiserver answers a label the kind does not accept with (400 BadRequest). */
  unsupported(label: string): string;
  /** A reader for one field of the field set, built once per request. */
  reader(field: string): FieldReader<unknown>;
}

/** A field selector parsed, checked against a kind and compiled: what a list or watch keeps per request. */
export interface CompiledFieldSelector {
  /** Requirements with labels converted to field set names (`regarding.name` → `involvedObject.name`). */
  readonly requirements: readonly FieldRequirement[];
  matches(object: unknown): boolean;
}

export function compileFieldSelector(selector: string, fields: SelectableFields): CompiledFieldSelector {
  const requirements = convertFieldLabels(parseFieldSelector(selector), fields);
  const matches = fieldSelectorMatcher(requirements, (field) => fields.reader(field));
  return { requirements, matches };
}

/** Maps each requirement's label to its field, or throws the kind's 400 for the first it does not accept. */
export function convertFieldLabels(
  requirements: readonly FieldRequirement[],
  fields: SelectableFields,
): FieldRequirement[] {
  return requirements.map((r) => {
    const field = fields.labels.get(r.field);
    if (field === undefined) throw ApiError.badRequest(fields.unsupported(r.field));
    return { ...r, field };
  });
}

/**
 * A built-in kind's rules. Kinds without a conversion function of their own (ConfigMap, Deployment,
 * ...) get apimachinery's `DefaultMetaV1FieldSelectorConversion`, which words its refusal differently.
 */
export function builtinSelectableFields(group: string, kind: string): SelectableFields {
  return builtins.get(`${group}/${kind}`) ?? metadataOnly;
}

/**
 * A custom resource's rules: `metadata.name`, `metadata.namespace` when namespaced, and the CRD
 * version's `selectableFields` (their `jsonPath` without the leading dot).
 */
export function customResourceSelectableFields(
  namespaced: boolean,
  selectableFields: readonly { jsonPath: string }[] = [],
): SelectableFields {
  const labels = ["metadata.name", ...(namespaced ? ["metadata.namespace"] : [])];
  for (const { jsonPath } of selectableFields) labels.push(jsonPath.replace(/^\./, ""));
  return rules(labels, notSupported);
}

const notSupported = (label: string): string => `field label not supported: ${label}`;

function rules(
  labels: readonly (string | readonly [label: string, field: string])[],
  unsupported: (label: string) => string,
  readers: Readonly<Record<string, FieldReader<unknown>>> = {},
): SelectableFields {
  return {
    labels: new Map(labels.map((l) => (typeof l === "string" ? [l, l] : [l[0], l[1]]))),
    unsupported,
    reader: (field) => (Object.hasOwn(readers, field) ? readers[field] : undefined) ?? pathReader(field),
  };
}

/**
 * Reads a dotted path the way kube's field sets render values: strings as they are, booleans and
 * integers in decimal, anything absent or structured as `""`.
 */
export function pathReader(field: string, absent = ""): FieldReader<unknown> {
  const keys = field.split(".");
  return (object) => {
    let value: unknown = object;
    for (const key of keys) {
      // Own properties only: a path such as `metadata.constructor` must not reach Object.prototype.
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return absent;
      value = (value as Record<string, unknown>)[key];
    }
    if (typeof value === "string") return value;
    if (typeof value === "boolean" || typeof value === "number") return String(value);
    return absent;
  };
}

const metadataOnly = rules(
  ["metadata.name", "metadata.namespace"],
  (label) => `${quote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
);

// Go formats these with strconv.FormatBool / Itoa from typed fields, so an unset one reads as its zero value.
const boolOrFalse = (field: string): FieldReader<unknown> => pathReader(field, "false");
const intOrZero = (field: string): FieldReader<unknown> => pathReader(field, "0");

const eventLabels = [
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "source",
  "type",
  "metadata.namespace",
  "metadata.name",
];

// pkg/registry/core/event: `source` falls back to the reporting controller, and `reportingComponent`
// is the core/v1 name of `reportingController`. Values are read from the stored core/v1 shape, which
// events.k8s.io requests share.
const sourceComponent = pathReader("source.component");
const reportingController = pathReader("reportingController");
const eventReaders: Record<string, FieldReader<unknown>> = {
  source: (object) => sourceComponent(object) || reportingController(object),
  reportingComponent: reportingController,
};

const builtins = new Map<string, SelectableFields>([
  [
    "/Pod",
    rules(
      [
        "metadata.name",
        "metadata.namespace",
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.podIPs",
        "status.nominatedNodeName",
        // Accepted for old clients, selecting spec.nodeName.
        ["spec.host", "spec.nodeName"],
      ],
      notSupported,
      { "spec.hostNetwork": boolOrFalse("spec.hostNetwork") },
    ),
  ],
  [
    "/Node",
    rules(["metadata.name", "spec.unschedulable"], notSupported, {
      "spec.unschedulable": boolOrFalse("spec.unschedulable"),
    }),
  ],
  [
    "/ReplicationController",
    rules(["metadata.name", "metadata.namespace", "status.replicas"], notSupported, {
      "status.replicas": intOrZero("status.replicas"),
    }),
  ],
  ["/Event", rules(eventLabels, notSupported, eventReaders)],
  // Namespaces are cluster-scoped and, unlike the default, refuse metadata.namespace.
  ["/Namespace", rules(["status.phase", "metadata.name"], notSupported)],
  ["/Secret", rules(["type", "metadata.namespace", "metadata.name"], notSupported)],
  ["/Service", rules(["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"], notSupported)],
  [
    "events.k8s.io/Event",
    rules(
      [
        "reason",
        ["regarding.kind", "involvedObject.kind"],
        ["regarding.namespace", "involvedObject.namespace"],
        ["regarding.name", "involvedObject.name"],
        ["regarding.uid", "involvedObject.uid"],
        ["regarding.apiVersion", "involvedObject.apiVersion"],
        ["regarding.resourceVersion", "involvedObject.resourceVersion"],
        ["regarding.fieldPath", "involvedObject.fieldPath"],
        ["reportingController", "reportingComponent"],
        "source",
        "type",
        "metadata.namespace",
        "metadata.name",
      ],
      notSupported,
      eventReaders,
    ),
  ],
  [
    "batch/Job",
    rules(
      ["metadata.name", "metadata.namespace", "status.successful"],
      (label) => `field label ${quote(label)} not supported for Job`,
      // The label says successful; the field it reads is status.succeeded.
      { "status.successful": intOrZero("status.succeeded") },
    ),
  ],
]);
