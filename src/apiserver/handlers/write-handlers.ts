import fastJsonPatch from "fast-json-patch";
import { ApiError } from "../api-error.js";
import { decodeObjectBody, mediaType, parseJson, parseYaml, readBody } from "../http/request-body.js";
import { send, successStatus } from "../http/response.js";
import { defaultFieldManager, validateFieldManager } from "../apply/manager-name.js";
import type { Selection } from "../http/selection.js";
import { mergePatch } from "../patch/merge-patch.js";
import { strategicMergePatch } from "../patch/strategic-merge-patch.js";
import type { ResourceType } from "../resources/resource-type.js";
import { apiVersionOf } from "../resources/resource-type.js";
import { toServedVersion, toStorageVersion } from "../resources/version-conversion.js";
import type { ResourceStorage, WriteResult } from "../storage/resource-storage.js";
import type { KubeObject } from "../types.js";
import type { RequestContext } from "./request-context.js";

export interface WriteDependencies {
  storage: ResourceStorage;
}

/** The request's field manager, checked as kube checks it; from the User-Agent when the request names none. */
function fieldManagerOf(context: RequestContext, verb: "create" | "update" | "patch"): string {
  const manager = context.query.fieldManager ?? defaultFieldManager(context.request.headers["user-agent"]);
  validateFieldManager(verb, manager, verb === "patch" && context.query.force ? true : undefined);
  return manager;
}

export async function handleCreate(context: RequestContext, deps: WriteDependencies): Promise<void> {
  const { type, info, query } = context;
  if (info.name && !info.subresource) throw ApiError.methodNotAllowed();
  if (info.subresource) throw ApiError.methodNotAllowed();
  const object = toStorageVersion(type, checkedObject(type, await body(context), info.namespace));
  const result = await deps.storage.create(type, info.namespace, object, {
    dryRun: query.dryRun,
    fieldManager: fieldManagerOf(context, "create"),
    fieldValidation: query.fieldValidation,
  });
  respond(context, 201, result);
}

export async function handleUpdate(context: RequestContext, deps: WriteDependencies): Promise<void> {
  const { type, info, query } = context;
  const name = requireName(info.name);
  checkSubresource(type, info.subresource);
  const object = toStorageVersion(type, checkedObject(type, await body(context), info.namespace));
  if (object.metadata.name && object.metadata.name !== name) {
    throw ApiError.badRequest(
      `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const result = await deps.storage.update(type, info.namespace, name, object, {
    dryRun: query.dryRun,
    fieldManager: fieldManagerOf(context, "update"),
    fieldValidation: query.fieldValidation,
    subresource: info.subresource,
  });
  respond(context, 200, result);
}

const patchTypes = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

export async function handlePatch(context: RequestContext, deps: WriteDependencies): Promise<void> {
  const { type, info, query, request } = context;
  const name = requireName(info.name);
  checkSubresource(type, info.subresource);
  const contentType = mediaType(request.headers["content-type"]);
  const custom = type.definedBy !== undefined;
  if (
    !patchTypes.includes(contentType) ||
    (custom && contentType === "application/strategic-merge-patch+json")
  ) {
    throw ApiError.unsupportedMediaType(
      contentType,
      custom ? patchTypes.filter((t) => !t.includes("strategic")) : patchTypes,
    );
  }
  const raw = await readBody(request);
  const options = {
    dryRun: query.dryRun,
    fieldValidation: query.fieldValidation,
    subresource: info.subresource,
  };
  let result: WriteResult;
  if (contentType === "application/apply-patch+yaml") {
    const manager = query.fieldManager ?? "";
    validateFieldManager("apply", manager);
    const applied = checkedObject(type, parseYaml(raw, type.kind), info.namespace);
    if (applied.metadata.name !== name) {
      throw ApiError.badRequest(
        `the name of the object (${applied.metadata.name ?? ""}) does not match the name on the URL (${name})`,
      );
    }
    result = await deps.storage.apply(type, info.namespace, name, toStorageVersion(type, applied), {
      ...options,
      fieldManager: manager,
      force: query.force,
    });
    respond(context, result.created ? 201 : 200, result);
    return;
  }
  const fieldManager = fieldManagerOf(context, "patch");
  const patch = parseJson(raw, type.kind);
  result = await deps.storage.patch(
    type,
    info.namespace,
    name,
    (current) => {
      const served = toServedVersion(type, current);
      const patched = applyPatch(contentType, served, patch, custom);
      if (!patched || typeof patched !== "object" || Array.isArray(patched)) {
        throw ApiError.badRequest("the patch produced something that is not an object");
      }
      const object = checkedObject(type, patched, info.namespace);
      return toStorageVersion(type, object);
    },
    { ...options, fieldManager },
  );
  respond(context, 200, result);
}

export async function handleDelete(context: RequestContext, deps: WriteDependencies): Promise<void> {
  const { type, info, query } = context;
  const name = requireName(info.name);
  if (info.subresource) throw ApiError.methodNotAllowed();
  const options = await deleteOptions(context);
  const result = await deps.storage.delete(type, info.namespace, name, {
    dryRun: query.dryRun || options.dryRun,
    propagationPolicy: query.propagationPolicy ?? options.propagationPolicy,
    preconditions: options.preconditions,
  });
  if (result.deleted && type.definedBy === undefined && type.plural !== "namespaces") {
    // Built-in kinds answer a finished deletion with a Status; custom resources return the object.
    send(context.response, 200, successStatus({ name, kind: type.plural, uid: result.object.metadata.uid }));
    return;
  }
  send(
    context.response,
    result.deleted ? 200 : 202,
    toServedVersion(type, result.object),
    context.representation,
  );
}

export async function handleDeleteCollection(
  context: RequestContext,
  deps: WriteDependencies,
  selection: Selection,
): Promise<void> {
  const { type, query } = context;
  if (!type.verbs.includes("deletecollection")) throw ApiError.methodNotAllowed();
  const options = await deleteOptions(context);
  const collection = deps.storage.store.collection(type.storageKey);
  const deleted: KubeObject[] = [];
  for (const key of [...collection.sortedKeys()]) {
    const object = collection.objects.get(key);
    if (!object || !selection.matches(object)) continue;
    const result = await deps.storage.delete(type, object.metadata.namespace, object.metadata.name ?? "", {
      dryRun: query.dryRun || options.dryRun,
      propagationPolicy: query.propagationPolicy ?? options.propagationPolicy,
    });
    deleted.push(toServedVersion(type, result.object));
  }
  send(
    context.response,
    200,
    {
      kind: type.listKind,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(deps.storage.store.revision) },
      items: deleted,
    },
    context.representation,
  );
}

function applyPatch(contentType: string, current: KubeObject, patch: unknown, custom: boolean): unknown {
  switch (contentType) {
    case "application/merge-patch+json":
      return mergePatch(current, patch);
    case "application/strategic-merge-patch+json":
      if (custom) throw ApiError.unsupportedMediaType(contentType, patchTypes);
      return strategicMergePatch(current, patch);
    default: {
      if (!Array.isArray(patch)) {
        throw ApiError.badRequest(
          "the server rejected our request due to an error in our request: json: cannot unmarshal object into Go value of type jsonpatch.Patch",
        );
      }
      const error = fastJsonPatch.validate(patch as fastJsonPatch.Operation[], current);
      if (error)
        throw new ApiError(
          422,
          "Invalid",
          `the server rejected our request due to an error in our request: ${error.message.split("\n", 1)[0]}`,
        );
      try {
        return fastJsonPatch.applyPatch(current, patch as fastJsonPatch.Operation[], false, false)
          .newDocument;
      } catch (cause) {
        const message = cause instanceof Error ? cause.message.split("\n", 1)[0] : String(cause);
        throw new ApiError(
          422,
          "Invalid",
          `the server rejected our request due to an error in our request: ${message}`,
        );
      }
    }
  }
}

async function body(context: RequestContext): Promise<unknown> {
  const raw = await readBody(context.request);
  return decodeObjectBody(raw, context.request.headers["content-type"], context.type.kind);
}

/** The checks kube's decoder and handlers make before any storage logic: kind, apiVersion, namespace. */
function checkedObject(type: ResourceType, value: unknown, namespace: string | undefined): KubeObject {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw ApiError.badRequest(
      `the object provided is unrecognized (must be of type ${type.kind}): couldn't get version/kind; json parse error: expected an object`,
    );
  }
  // Like kube's decoder, a body without apiVersion or kind takes them from the URL.
  const object = { ...(value as Partial<KubeObject>) };
  const served = apiVersionOf(type);
  object.kind ??= type.kind;
  object.apiVersion ??= served;
  if (object.kind !== type.kind) {
    throw ApiError.badRequest(
      `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`,
    );
  }
  if (object.apiVersion !== served && object.apiVersion !== type.storageVersion) {
    throw ApiError.badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${served})`,
    );
  }
  if (
    object.metadata !== undefined &&
    (typeof object.metadata !== "object" || object.metadata === null || Array.isArray(object.metadata))
  ) {
    throw ApiError.badRequest(
      `the object provided is unrecognized (must be of type ${type.kind}): metadata must be an object`,
    );
  }
  const checked = { ...object, metadata: { ...(object.metadata ?? {}) } } as KubeObject;
  if (type.namespaced) {
    if (checked.metadata.namespace && namespace && checked.metadata.namespace !== namespace) {
      throw ApiError.badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    if (!namespace) throw ApiError.noSuchResource();
  }
  return checked;
}

async function deleteOptions(context: RequestContext): Promise<{
  dryRun: boolean;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
}> {
  const raw = await readBody(context.request);
  if (raw.length === 0) return { dryRun: false };
  const parsed = parseJson(raw, "DeleteOptions") as {
    dryRun?: string[];
    propagationPolicy?: "Orphan" | "Background" | "Foreground";
    orphanDependents?: boolean;
    preconditions?: { uid?: string; resourceVersion?: string };
  };
  const policy = parsed.propagationPolicy ?? (parsed.orphanDependents === true ? "Orphan" : undefined);
  return {
    dryRun: Array.isArray(parsed.dryRun) && parsed.dryRun.includes("All"),
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(parsed.preconditions ? { preconditions: parsed.preconditions } : {}),
  };
}

function requireName(name: string | undefined): string {
  if (!name) throw ApiError.methodNotAllowed();
  return name;
}

function checkSubresource(type: ResourceType, subresource: string | undefined): void {
  if (subresource === undefined) return;
  if (subresource === "status" && type.statusSubresource) return;
  if (subresource === "finalize" && type.plural === "namespaces" && type.group === "") return;
  throw ApiError.noSuchResource();
}

function respond(context: RequestContext, code: number, result: WriteResult): void {
  send(
    context.response,
    code,
    toServedVersion(context.type, result.object),
    context.representation === "table" ? "json" : context.representation,
    result.warnings,
  );
}
