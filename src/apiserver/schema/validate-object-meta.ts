import type { FieldError, ManagedFieldsEntry, ObjectMeta, OwnerReference } from "../types.js";
import { childPath, forbidden, indexPath, invalid, required, tooLong } from "./field-error.js";
import { GoLiteral, goQuote, goStringSlice } from "./go-format.js";
import type { NameValidation } from "./name-validation.js";
import { isDNS1123Label, isQualifiedName, isValidLabelValue, validateName } from "./name-validation.js";

export type { NameValidation } from "./name-validation.js";

export interface ValidateObjectMetaOptions {
  /**
   * Whether the kind is namespaced: then a namespace is required, else it is forbidden. Leave it out to
   * check only the namespace's form when one is set.
   */
  namespaced?: boolean;
  /** The kind's name rule: most kinds use DNS-1123 subdomains, Namespaces DNS-1123 labels, Services DNS-1035 labels. */
  nameValidation: NameValidation;
  /** The path the errors are reported under. @default "metadata" */
  path?: string;
}

/** kube's limit on the summed size of annotation keys and values (256 KiB). */
export const totalAnnotationSizeLimit = 256 * 1024;
const fieldManagerMaxLength = 128;
const maxSubresourceNameLength = 256;

/**
 * apimachinery's `ValidateObjectMetaAccessor`: generateName, name, namespace, generation, labels,
 * annotations, ownerReferences, finalizers and managedFields, in kube's order and words.
 */
export function validateObjectMeta(
  meta: ObjectMeta,
  options: ValidateObjectMetaOptions | NameValidation,
): FieldError[] {
  const {
    namespaced,
    nameValidation,
    path = "metadata",
  } = typeof options === "string" ? { nameValidation: options } : options;
  const errors: FieldError[] = [];
  const name = typeof meta.name === "string" ? meta.name : "";
  const generateName = typeof meta.generateName === "string" ? meta.generateName : "";
  if (generateName)
    for (const message of validateName(nameValidation, generateName, true))
      errors.push(invalid(childPath(path, "generateName"), generateName, message));
  if (!name) errors.push(required(childPath(path, "name"), "name or generateName is required"));
  else
    for (const message of validateName(nameValidation, name, false))
      errors.push(invalid(childPath(path, "name"), name, message));
  const namespace = typeof meta.namespace === "string" ? meta.namespace : "";
  if (namespaced === true && !namespace) errors.push(required(childPath(path, "namespace")));
  else if (namespaced === false && namespace)
    errors.push(forbidden(childPath(path, "namespace"), "not allowed on this type"));
  else if (namespace)
    for (const message of isDNS1123Label(namespace))
      errors.push(invalid(childPath(path, "namespace"), namespace, message));
  if (typeof meta.generation === "number" && meta.generation < 0)
    errors.push(
      invalid(childPath(path, "generation"), meta.generation, "must be greater than or equal to 0"),
    );
  errors.push(...validateLabels(meta.labels, childPath(path, "labels")));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, "annotations")));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, "ownerReferences")));
  errors.push(...validateFinalizers(meta.finalizers, childPath(path, "finalizers")));
  errors.push(...validateManagedFields(meta.managedFields, childPath(path, "managedFields")));
  return errors;
}

/**
 * apimachinery's `ValidateObjectMetaAccessorUpdate`: no new finalizers while deleting, a resourceVersion,
 * generation never decremented, immutable identity fields, then labels, annotations, owners, managedFields.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path = "metadata"): FieldError[] {
  const errors: FieldError[] = [];
  if (old.deletionTimestamp) {
    const extra = [...new Set(meta.finalizers ?? [])]
      .filter((f) => !(old.finalizers ?? []).includes(f))
      .sort();
    if (extra.length > 0)
      errors.push(
        forbidden(
          childPath(path, "finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).text}`,
        ),
      );
  }
  if (!meta.resourceVersion)
    errors.push(
      invalid(
        childPath(path, "resourceVersion"),
        meta.resourceVersion ?? "",
        "must be specified for an update",
      ),
    );
  if ((meta.generation ?? 0) < (old.generation ?? 0))
    errors.push(invalid(childPath(path, "generation"), meta.generation ?? 0, "must not be decremented"));
  for (const field of ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp"] as const) {
    if ((meta[field] ?? "") !== (old[field] ?? ""))
      errors.push(invalid(childPath(path, field), meta[field] ?? "", "field is immutable"));
  }
  if (meta.deletionGracePeriodSeconds !== old.deletionGracePeriodSeconds)
    errors.push(
      invalid(
        childPath(path, "deletionGracePeriodSeconds"),
        meta.deletionGracePeriodSeconds ?? null,
        "field is immutable",
      ),
    );
  errors.push(...validateLabels(meta.labels, childPath(path, "labels")));
  errors.push(...validateAnnotations(meta.annotations, childPath(path, "annotations")));
  errors.push(...validateOwnerReferences(meta.ownerReferences, childPath(path, "ownerReferences")));
  errors.push(...validateManagedFields(meta.managedFields, childPath(path, "managedFields")));
  return errors;
}

/** `ValidateLabels`: every key a qualified name, every value a label value; errors name the map, not the key. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const message of isQualifiedName(key)) errors.push(invalid(path, key, message));
    for (const message of isValidLabelValue(String(value))) errors.push(invalid(path, value, message));
  }
  return errors;
}

/** `ValidateAnnotations`: keys are qualified names in any case; keys and values together at most 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const message of isQualifiedName(key.toLowerCase())) errors.push(invalid(path, key, message));
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > totalAnnotationSizeLimit) errors.push(tooLong(path, totalAnnotationSizeLimit));
  return errors;
}

/** `ValidateFinalizers`: qualified names (errors on the list, not the item) and not both orphan and foreground. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const finalizer of finalizers ?? [])
    for (const message of isQualifiedName(finalizer)) errors.push(invalid(path, finalizer, message));
  if (finalizers?.includes("orphan") && finalizers.includes("foregroundDeletion"))
    errors.push(
      invalid(path, goStringSlice(finalizers), "finalizer orphan and foregroundDeletion cannot be both set"),
    );
  return errors;
}

function validateOwnerReferences(references: OwnerReference[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let firstController = "";
  for (const ref of references ?? []) {
    const [group, version] = splitApiVersion(ref.apiVersion ?? "");
    if (!version)
      errors.push(invalid(childPath(path, "apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errors.push(invalid(childPath(path, "kind"), ref.kind ?? "", "kind must not be empty"));
    if (!ref.name) errors.push(invalid(childPath(path, "name"), ref.name ?? "", "name must not be empty"));
    if (!ref.uid) errors.push(invalid(childPath(path, "uid"), ref.uid ?? "", "uid must not be empty"));
    if (group === "" && version === "v1" && ref.kind === "Event")
      errors.push(
        invalid(path, ownerReferenceLiteral(ref), "/v1, Kind=Event is disallowed from being an owner"),
      );
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController)
        errors.push(
          invalid(
            path,
            new GoLiteral(
              `[]v1.OwnerReference{${(references ?? []).map((r) => ownerReferenceLiteral(r).text).join(", ")}}`,
            ),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      else firstController = current;
    }
  }
  return errors;
}

function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (entries ?? []).forEach((entry, i) => {
    const at = indexPath(path, i);
    const operation = entry.operation as string;
    if (operation !== "Apply" && operation !== "Update")
      errors.push(invalid(childPath(at, "operation"), operation ?? "", "must be `Apply` or `Update`"));
    const fieldsType = entry.fieldsType as string | undefined;
    if (fieldsType && fieldsType !== "FieldsV1")
      errors.push(invalid(childPath(at, "fieldsType"), fieldsType, "must be `FieldsV1`"));
    const manager = entry.manager ?? "";
    if (manager.length > fieldManagerMaxLength)
      errors.push(tooLong(childPath(at, "manager"), fieldManagerMaxLength));
    let position = 0;
    for (const char of manager) {
      if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char)) {
        const code = char.codePointAt(0) ?? 0;
        errors.push(
          invalid(
            childPath(at, "manager"),
            manager,
            `invalid character U+${code.toString(16).toUpperCase().padStart(4, "0")} (at position ${position})`,
          ),
        );
      }
      position += Buffer.byteLength(char);
    }
    if ((entry.subresource ?? "").length > maxSubresourceNameLength)
      errors.push(tooLong(childPath(at, "subresource"), maxSubresourceNameLength));
  });
  return errors;
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

// Pointer fields print as Go prints a nil pointer; a set pointer's address cannot be reproduced, so its value is shown.
function ownerReferenceLiteral(ref: OwnerReference): GoLiteral {
  const pointer = (value: boolean | undefined) =>
    value === undefined ? "(*bool)(nil)" : `(*bool)(${value})`;
  return new GoLiteral(
    `v1.OwnerReference{APIVersion:${goQuote(ref.apiVersion ?? "")}, Kind:${goQuote(ref.kind ?? "")}, Name:${goQuote(ref.name ?? "")}, UID:${goQuote(ref.uid ?? "")}, Controller:${pointer(ref.controller)}, BlockOwnerDeletion:${pointer(ref.blockOwnerDeletion)}}`,
  );
}
