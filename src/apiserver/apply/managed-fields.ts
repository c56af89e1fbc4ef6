import type { FieldsV1, ManagedFieldsEntry } from "../types.js";
import { FieldSet } from "./field-set.js";
import { compareCodePoints, goJsonString } from "./go-text.js";

/** One manager's ownership, decoded: a managedFields entry with its fieldsV1 as a set. */
export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource: string | undefined;
  time: string | undefined;
  set: FieldSet;
  /** The stored entry and its decoded set, reused as is while neither changes, so rewrites stay byte-identical. */
  stored?: { entry: ManagedFieldsEntry; set: FieldSet } | undefined;
}

/** Managers by kube's manager identifier. */
export type Managers = Map<string, Manager>;

/**
 * kube's manager identifier (fieldmanager `BuildManagerIdentifier`): the entry without fields and time
 * as JSON. Appliers are one manager whatever version they apply at; updaters are one per version.
 */
export function managerIdentifier(
  manager: string,
  operation: "Apply" | "Update",
  apiVersion: string,
  subresource: string | undefined,
): string {
  const parts: string[] = [];
  if (manager) parts.push(`"manager":${goJsonString(manager)}`);
  parts.push(`"operation":${goJsonString(operation)}`);
  if (operation === "Update" && apiVersion) parts.push(`"apiVersion":${goJsonString(apiVersion)}`);
  if (subresource) parts.push(`"subresource":${goJsonString(subresource)}`);
  return `{${parts.join(",")}}`;
}

export function identifierOf(manager: Manager): string {
  return managerIdentifier(manager.manager, manager.operation, manager.apiVersion, manager.subresource);
}

const decoded = new WeakMap<FieldsV1, FieldSet>();

/**
 * Decodes managedFields as kube's `DecodeManagedFields` does, throwing its errors for an invalid entry.
 * `stored` marks entries this server wrote: they are kept for reuse when they do not change.
 */
export function decodeManagedFields(
  entries: readonly ManagedFieldsEntry[] | null | undefined,
  stored: boolean,
): Managers {
  const managers: Managers = new Map();
  (entries ?? []).forEach((entry, i) => {
    if (entry.operation !== "Apply" && entry.operation !== "Update")
      throw new Error("operation must be `Apply` or `Update`");
    if (!entry.apiVersion) throw new Error("apiVersion must not be empty");
    const fieldsType = entry.fieldsType as string | undefined;
    if (!fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== "FieldsV1")
      throw new Error(`invalid fieldsType ${goJsonString(fieldsType)} in managed fields entry ${i}`);
    const set = decodeSet(entry.fieldsV1);
    const manager: Manager = {
      manager: entry.manager ?? "",
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      subresource: entry.subresource || undefined,
      time: entry.time || undefined,
      set,
      stored: stored ? { entry, set } : undefined,
    };
    managers.set(identifierOf(manager), manager);
  });
  return managers;
}

function decodeSet(fields: FieldsV1 | undefined): FieldSet {
  if (!fields) return FieldSet.empty;
  let set = decoded.get(fields);
  if (!set) {
    set = FieldSet.fromFieldsV1(fields);
    decoded.set(fields, set);
  }
  return set;
}

const encoded = new WeakMap<FieldSet, FieldsV1>();

/** Encodes managers as kube does: one entry each, sorted by operation, time, manager, version, subresource. */
export function encodeManagedFields(managers: Managers, now: Date): ManagedFieldsEntry[] {
  const entries = [...managers.values()].map((m) => encodeEntry(m, now));
  return entries.sort(compareEntries);
}

function encodeEntry(m: Manager, now: Date): ManagedFieldsEntry {
  const stored = m.stored;
  if (
    stored &&
    stored.entry.time === m.time &&
    stored.entry.apiVersion === m.apiVersion &&
    stored.set.equals(m.set)
  )
    return stored.entry;
  let fieldsV1 = encoded.get(m.set);
  if (!fieldsV1) {
    fieldsV1 = m.set.toFieldsV1();
    encoded.set(m.set, fieldsV1);
  }
  const entry: ManagedFieldsEntry = {
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    time: m.time ?? rfc3339(now),
    fieldsType: "FieldsV1",
    fieldsV1,
  };
  if (m.subresource) entry.subresource = m.subresource;
  return entry;
}

function compareEntries(a: ManagedFieldsEntry, b: ManagedFieldsEntry): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const seconds = unixSeconds(a.time) - unixSeconds(b.time);
  if (seconds !== 0) return seconds;
  return (
    compareCodePoints(a.manager, b.manager) ||
    compareCodePoints(a.apiVersion, b.apiVersion) ||
    compareCodePoints(a.subresource ?? "", b.subresource ?? "")
  );
}

export function unixSeconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Whether two decoded managedFields say the same, times aside (kube then keeps the old timestamps). */
export function sameOwnership(a: Managers, b: Managers): boolean {
  if (a.size !== b.size) return false;
  for (const [id, m] of a) {
    const other = b.get(id);
    if (!other || other.apiVersion !== m.apiVersion || !other.set.equals(m.set)) return false;
  }
  return true;
}

/** metav1.Time: RFC 3339 in UTC with second precision. */
export function rfc3339(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}
