import { ApiError } from "../api-error.js";
import type { ResourceType } from "../resources/resource-type.js";
import { apiVersionOf, groupResourceOf } from "../resources/resource-type.js";
import type { FieldValidation, KindStrategy, WriteContext } from "../strategies/kind-strategy.js";
import type { KubeObject } from "../types.js";
import type { ManagedFieldsTracker } from "./managed-fields-port.js";
import {
  fillSystemFieldsOnCreate,
  generateName,
  keepSystemFieldsOnUpdate,
  sameObject,
  specChanged,
  timestamp,
} from "./object-meta.js";
import type { ObjectStore } from "./object-store.js";
import { objectKey } from "./object-store.js";

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager: string;
  fieldValidation?: FieldValidation;
  subresource?: string;
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
  /** For create-on-apply: whether the object is new (201) or changed (200). */
  created?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** False when finalizers hold the object: the answer is 202 with the object marked for deletion. */
  deleted: boolean;
}

/** A hook between the write's preparation and its commit: admission webhooks plug in here. */
export type AdmissionHook = (request: {
  operation: "CREATE" | "UPDATE" | "DELETE";
  type: ResourceType;
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  subresource: string | undefined;
  dryRun: boolean;
  warnings: string[];
}) => Promise<KubeObject | undefined>;

/** Told about every committed change, after the commit: the garbage collector and CRD controller listen. */
export type CommitListener = (type: ResourceType, object: KubeObject, change: "put" | "remove") => void;

const maxConflictRetries = 10;

/**
 * The generic write path of every resource, like apiserver's registry `Store`: metadata the server
 * owns, strategies per kind, optimistic concurrency, status subresource rules, generation, managed
 * fields, finalizers and deletion. HTTP handlers translate requests into these calls.
 */
export class ResourceStorage {
  readonly #admission: AdmissionHook[] = [];
  readonly #commitListeners: CommitListener[] = [];

  constructor(
    readonly store: ObjectStore,
    readonly managedFields: ManagedFieldsTracker,
    readonly strategyFor: (type: ResourceType) => KindStrategy,
  ) {}

  addAdmissionHook(hook: AdmissionHook): void {
    this.#admission.push(hook);
  }

  onCommit(listener: CommitListener): void {
    this.#commitListeners.push(listener);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(type.storageKey, objectKey(namespace, name));
    if (!object) throw ApiError.notFound(groupResourceOf(type), name);
    return object;
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(type.storageKey, objectKey(namespace, name));
  }

  async create(
    type: ResourceType,
    namespace: string | undefined,
    input: KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult> {
    return this.#create(type, namespace, input, options, true);
  }

  /**
   * Replaces an object (PUT), or the status of one (`subresource: "status"`). Unconditional when the
   * body carries no resourceVersion and the kind allows it; otherwise 409 on a stale version.
   */
  async update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    input: KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult> {
    const requested = input.metadata.resourceVersion;
    const strategy = this.strategyFor(type);
    if (!requested && strategy.allowUnconditionalUpdate === false) {
      throw ApiError.invalid({ group: type.group, kind: type.kind }, name, [
        {
          reason: "FieldValueInvalid",
          field: "metadata.resourceVersion",
          message: "Invalid value: 0x0: must be specified for an update",
        },
      ]);
    }
    return this.#guaranteedUpdate(type, namespace, name, options, requested, () => structuredClone(input));
  }

  /** Applies `mutate` to the current object and writes the result, retrying when a concurrent write wins. */
  async patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult> {
    return this.#guaranteedUpdate(type, namespace, name, options, undefined, (current) =>
      mutate(structuredClone(current)),
    );
  }

  /** Server-side apply: creates the object when it does not exist, otherwise merges and writes. */
  async apply(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    applied: KubeObject,
    options: WriteOptions & { force: boolean },
  ): Promise<WriteResult> {
    const current = this.find(type, namespace, name);
    if (!current) {
      if (options.subresource) throw ApiError.notFound(groupResourceOf(type), name);
      const now = new Date();
      const merged = this.managedFields.apply({
        type,
        live: undefined,
        applied,
        manager: options.fieldManager,
        force: options.force,
        subresource: undefined,
        now,
      });
      try {
        const result = await this.#create(type, namespace, merged, options, false);
        return { ...result, created: true };
      } catch (error) {
        // Lost a race with another creator: apply over what now exists.
        if (error instanceof ApiError && error.reason === "AlreadyExists")
          return this.apply(type, namespace, name, applied, options);
        throw error;
      }
    }
    return this.#guaranteedUpdate(
      type,
      namespace,
      name,
      options,
      undefined,
      (live) =>
        this.managedFields.apply({
          type,
          live,
          applied,
          manager: options.fieldManager,
          force: options.force,
          subresource: options.subresource,
          now: new Date(),
        }),
      true,
    );
  }

  async delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
  ): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const current = this.get(type, namespace, name);
      const { uid, resourceVersion } = options.preconditions ?? {};
      if (uid && uid !== current.metadata.uid) {
        throw ApiError.conflict(
          groupResourceOf(type),
          name,
          `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid ?? ""}`,
        );
      }
      if (resourceVersion && resourceVersion !== current.metadata.resourceVersion) {
        throw ApiError.conflict(
          groupResourceOf(type),
          name,
          `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ""}`,
        );
      }
      await this.#admit(
        "DELETE",
        type,
        undefined,
        current,
        { dryRun: options.dryRun },
        this.#context(type, { fieldManager: "" }),
      );
      if (this.find(type, namespace, name)?.metadata.resourceVersion !== current.metadata.resourceVersion) {
        if (attempt < maxConflictRetries) continue;
        throw ApiError.conflict(
          groupResourceOf(type),
          name,
          "the object has been modified; please apply your changes to the latest version and try again",
        );
      }
      return this.#commitDelete(type, current, options);
    }
  }

  #commitDelete(type: ResourceType, current: KubeObject, options: DeleteOptions): DeleteResult {
    const strategy = this.strategyFor(type);
    const finalizers = [...(current.metadata.finalizers ?? [])];
    const policy = options.propagationPolicy ?? "Background";
    const alreadyDeleting = current.metadata.deletionTimestamp !== undefined;
    if (!alreadyDeleting && policy === "Orphan" && !finalizers.includes("orphan")) finalizers.push("orphan");
    if (!alreadyDeleting && policy === "Foreground" && !finalizers.includes("foregroundDeletion"))
      finalizers.push("foregroundDeletion");
    const held = finalizers.length > 0 || strategy.hasPendingFinalization?.(current) === true;
    if (!held) {
      if (options.dryRun) return { object: current, deleted: true };
      const removed = this.store.remove(type.storageKey, keyOf(current)) ?? current;
      this.#notify(type, removed, "remove");
      return { object: removed, deleted: true };
    }
    if (alreadyDeleting && sameList(finalizers, current.metadata.finalizers))
      return { object: current, deleted: false };
    const marked = structuredClone(current);
    marked.metadata.finalizers = finalizers;
    if (!alreadyDeleting) {
      marked.metadata.deletionTimestamp = timestamp(new Date());
      marked.metadata.deletionGracePeriodSeconds = 0;
      if (marked.metadata.generation !== undefined) marked.metadata.generation += 1;
    }
    if (options.dryRun) return { object: marked, deleted: false };
    const stored = this.store.put(type.storageKey, keyOf(marked), marked);
    this.#notify(type, stored, "put");
    return { object: stored, deleted: false };
  }

  /** The create path; `trackManagedFields` is false when server-side apply has already written them. */
  async #create(
    type: ResourceType,
    namespace: string | undefined,
    input: KubeObject,
    options: WriteOptions,
    trackManagedFields: boolean,
  ): Promise<WriteResult> {
    const context = this.#context(type, options);
    const object = structuredClone(input);
    object.apiVersion = type.storageVersion;
    object.kind = type.kind;
    const meta = object.metadata;
    if (type.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    if (!meta.name) {
      throw ApiError.invalid({ group: type.group, kind: type.kind }, "", [
        {
          reason: "FieldValueRequired",
          field: "metadata.name",
          message: "Required value: name or generateName is required",
        },
      ]);
    }
    this.#checkNamespace(type, namespace);
    object.metadata = fillSystemFieldsOnCreate(meta, context.now, type.tracksGeneration);
    if (type.statusSubresource && type.definedBy) delete object.status;
    const strategy = this.strategyFor(type);
    strategy.prepareForCreate?.(object, context);
    this.#validate(type, strategy, object, undefined, context);
    const tracked = trackManagedFields
      ? this.managedFields.trackUpdate({
          type,
          before: undefined,
          after: object,
          manager: options.fieldManager,
          subresource: undefined,
          now: context.now,
        })
      : object;
    const admitted = (await this.#admit("CREATE", type, tracked, undefined, options, context)) ?? tracked;
    return { object: this.#commitCreate(type, admitted, options), warnings: context.warnings };
  }

  #commitCreate(type: ResourceType, object: KubeObject, options: WriteOptions): KubeObject {
    const key = keyOf(object);
    if (this.store.get(type.storageKey, key))
      throw ApiError.alreadyExists(groupResourceOf(type), object.metadata.name ?? "");
    this.#checkNamespace(type, object.metadata.namespace);
    if (options.dryRun) return object;
    const stored = this.store.put(type.storageKey, key, object);
    this.#notify(type, stored, "put");
    return stored;
  }

  async #guaranteedUpdate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions,
    requestedVersion: string | undefined,
    desired: (current: KubeObject) => KubeObject,
    managedFieldsDone = false,
  ): Promise<WriteResult> {
    const strategy = this.strategyFor(type);
    for (let attempt = 0; ; attempt++) {
      const current = this.get(type, namespace, name);
      if (requestedVersion && requestedVersion !== current.metadata.resourceVersion) {
        throw ApiError.conflict(
          groupResourceOf(type),
          name,
          "the object has been modified; please apply your changes to the latest version and try again",
        );
      }
      const context = this.#context(type, options);
      const object = this.#prepareUpdate(type, strategy, desired(current), current, options, context);
      let next = managedFieldsDone
        ? object
        : this.managedFields.trackUpdate({
            type,
            before: current,
            after: object,
            manager: options.fieldManager,
            subresource: options.subresource,
            now: context.now,
          });
      if (sameObject(next, current)) return { object: current, warnings: context.warnings };
      next = (await this.#admit("UPDATE", type, next, current, options, context)) ?? next;
      const latest = this.find(type, namespace, name);
      if (latest?.metadata.resourceVersion !== current.metadata.resourceVersion) {
        if (requestedVersion || attempt >= maxConflictRetries) {
          throw ApiError.conflict(
            groupResourceOf(type),
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
          );
        }
        continue;
      }
      return { object: this.#commitUpdate(type, strategy, next, options), warnings: context.warnings };
    }
  }

  #prepareUpdate(
    type: ResourceType,
    strategy: KindStrategy,
    input: KubeObject,
    current: KubeObject,
    options: WriteOptions,
    context: WriteContext,
  ): KubeObject {
    if (input.metadata.name !== undefined && input.metadata.name !== current.metadata.name) {
      throw ApiError.badRequest(
        `the name of the object (${input.metadata.name}) does not match the name on the URL (${current.metadata.name ?? ""})`,
      );
    }
    if (input.metadata.uid && input.metadata.uid !== current.metadata.uid) {
      throw ApiError.conflict(
        groupResourceOf(type),
        current.metadata.name ?? "",
        `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${current.metadata.uid ?? ""}`,
      );
    }
    let object: KubeObject;
    if (options.subresource === "status") {
      // The status subresource writes status and nothing else; managedFields ride along for apply.
      object = { ...structuredClone(current), status: input.status };
      if (input.status === undefined) delete object.status;
      if (input.metadata.managedFields) object.metadata.managedFields = input.metadata.managedFields;
    } else {
      object = input;
      object.apiVersion = type.storageVersion;
      object.kind = type.kind;
      object.metadata = keepSystemFieldsOnUpdate(object.metadata, current.metadata);
      object.metadata.name = current.metadata.name;
      if (type.namespaced) object.metadata.namespace = current.metadata.namespace;
      else delete object.metadata.namespace;
      if (type.statusSubresource) {
        if (current.status === undefined) delete object.status;
        else object.status = current.status;
      }
      strategy.prepareForUpdate?.(object, current, context);
      if (current.metadata.deletionTimestamp) {
        const added = (object.metadata.finalizers ?? []).filter(
          (f) => !(current.metadata.finalizers ?? []).includes(f),
        );
        if (added.length > 0) {
          throw ApiError.invalid({ group: type.group, kind: type.kind }, current.metadata.name ?? "", [
            {
              reason: "FieldValueForbidden",
              field: "metadata.finalizers",
              message:
                "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers " +
                JSON.stringify(added),
            },
          ]);
        }
      }
      if (type.tracksGeneration && specChanged(object, current))
        object.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    object.metadata.resourceVersion = current.metadata.resourceVersion;
    this.#validate(type, strategy, object, current, context);
    return object;
  }

  #commitUpdate(
    type: ResourceType,
    strategy: KindStrategy,
    object: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const released =
      object.metadata.deletionTimestamp !== undefined &&
      (object.metadata.finalizers ?? []).length === 0 &&
      strategy.hasPendingFinalization?.(object) !== true;
    if (options.dryRun) return object;
    if (released) {
      if (object.metadata.finalizers) delete object.metadata.finalizers;
      const removed = this.store.remove(type.storageKey, keyOf(object), object) ?? object;
      this.#notify(type, removed, "remove");
      return removed;
    }
    const stored = this.store.put(type.storageKey, keyOf(object), object);
    this.#notify(type, stored, "put");
    return stored;
  }

  #validate(
    type: ResourceType,
    strategy: KindStrategy,
    object: KubeObject,
    old: KubeObject | undefined,
    context: WriteContext,
  ): void {
    const errors = strategy.validate?.(object, old, context) ?? [];
    if (errors.length > 0)
      throw ApiError.invalid({ group: type.group, kind: type.kind }, object.metadata.name ?? "", errors);
    if (context.unknownFields.length > 0) {
      if (context.fieldValidation === "Strict") {
        const list = context.unknownFields.map((f) => `unknown field "${f}"`).join(", ");
        throw ApiError.badRequest(`strict decoding error: ${list}`);
      }
      if (context.fieldValidation === "Warn")
        for (const f of context.unknownFields) context.warnings.push(`unknown field "${f}"`);
    }
  }

  async #admit(
    operation: "CREATE" | "UPDATE" | "DELETE",
    type: ResourceType,
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    options: { dryRun?: boolean | undefined; subresource?: string | undefined },
    context: WriteContext,
  ): Promise<KubeObject | undefined> {
    let current = object;
    for (const hook of this.#admission) {
      current =
        (await hook({
          operation,
          type,
          object: current,
          oldObject,
          subresource: options.subresource,
          dryRun: options.dryRun === true,
          warnings: context.warnings,
        })) ?? current;
    }
    return current;
  }

  #checkNamespace(type: ResourceType, namespace: string | undefined): void {
    if (!type.namespaced || !namespace) return;
    const ns = this.store.get("namespaces", namespace);
    if (!ns) throw ApiError.notFound({ group: "", resource: "namespaces" }, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw ApiError.forbidden(
        groupResourceOf(type),
        "",
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  #context(type: ResourceType, options: WriteOptions): WriteContext {
    return {
      type,
      now: new Date(),
      fieldValidation: options.fieldValidation ?? "Warn",
      warnings: [],
      unknownFields: [],
      subresource: options.subresource,
    };
  }

  #notify(type: ResourceType, object: KubeObject, change: "put" | "remove"): void {
    for (const listener of this.#commitListeners) listener(type, object, change);
  }
}

export function keyOf(object: KubeObject): string {
  return objectKey(object.metadata.namespace, object.metadata.name ?? "");
}

function sameList(a: string[], b: string[] | undefined): boolean {
  return a.length === (b?.length ?? 0) && a.every((x, i) => b?.[i] === x);
}

export { apiVersionOf };
