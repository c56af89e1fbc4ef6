import type { ResourceType } from "../resources/resource-type.js";
import type { FieldError, KubeObject } from "../types.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteContext {
  type: ResourceType;
  now: Date;
  fieldValidation: FieldValidation;
  /** Warnings for the client (`Warning: 299 - "..."` headers). */
  warnings: string[];
  /** Unknown fields the schema pruned, for `fieldValidation`. */
  unknownFields: string[];
  /** The subresource written (`status`, a namespace's `finalize`), if any. */
  subresource: string | undefined;
}

/**
 * What differs between kinds on the write path, like kube's RESTCreateStrategy/RESTUpdateStrategy.
 * Each hook works on a private copy of the object and may change it in place.
 */
export interface KindStrategy {
  /** Defaults and server-set fields on create (a Service's clusterIP, a Secret's stringData). */
  prepareForCreate?(object: KubeObject, context: WriteContext): void;
  prepareForUpdate?(object: KubeObject, old: KubeObject, context: WriteContext): void;
  /** Prune, default and validate against a schema; returns the errors that make the write a 422. */
  validate?(object: KubeObject, old: KubeObject | undefined, context: WriteContext): FieldError[];
  /** Finalizers beyond `metadata.finalizers` that hold a deleted object (a Namespace's `spec.finalizers`). */
  hasPendingFinalization?(object: KubeObject): boolean;
  /** Updates without a resourceVersion are refused for kinds that do not allow them (custom resources). */
  allowUnconditionalUpdate?: boolean;
}
