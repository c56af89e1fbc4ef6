/**
 * The shapes of Kubernetes objects as the embedded API server stores and serves them.
 * Only the fields the server itself reads are typed; everything else passes through untouched.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** The `fieldsV1` trie of a managedFields entry: keys like `f:spec`, `k:{"name":"a"}`, `v:"x"`, `i:0`, `.`. */
export interface FieldsV1 {
  [pathElement: string]: FieldsV1;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** One problem with one field, as apimachinery's `field.Error` reports it. */
export interface FieldError {
  /** `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueTypeInvalid`, `FieldValueForbidden`, `FieldValueTooLong`, `FieldValueTooMany`, `FieldValueDuplicate`. */
  reason: string;
  /** The field path in kube's notation: `spec.flows[0].transform`, `metadata.labels[app]`. */
  field: string;
  /** The error body without the field, as kube prints it: `Required value`, `Invalid value: "x": must be ...`. */
  message: string;
}
