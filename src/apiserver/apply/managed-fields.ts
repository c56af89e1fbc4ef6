import type { ManagedFieldsEntry } from "../types.js";
import { fromFieldsV1, toFieldsV1 } from "./field-path.js";

/** One manager's ownership: a managedFields entry with its fieldsV1 decoded into a path set. */
export interface Ownership {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource: string | undefined;
  time: string;
  paths: Set<string>;
  /** The entry as stored, reused when nothing about it changes so an unchanged write stays byte-identical. */
  original: ManagedFieldsEntry | undefined;
}

export function decodeManagedFields(entries: ManagedFieldsEntry[] | undefined): Ownership[] {
  return (entries ?? []).map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    subresource: entry.subresource,
    time: entry.time,
    paths: fromFieldsV1(entry.fieldsV1),
    original: entry,
  }));
}

export function encodeManagedFields(owners: Ownership[]): ManagedFieldsEntry[] | undefined {
  const entries = owners
    .filter((o) => o.paths.size > 0)
    .map((o) => {
      const fieldsV1 = toFieldsV1(o.paths);
      if (
        o.original &&
        o.original.time === o.time &&
        o.original.apiVersion === o.apiVersion &&
        JSON.stringify(o.original.fieldsV1) === JSON.stringify(fieldsV1)
      ) {
        return o.original;
      }
      const entry: ManagedFieldsEntry = {
        manager: o.manager,
        operation: o.operation,
        apiVersion: o.apiVersion,
        time: o.time,
        fieldsType: "FieldsV1",
        fieldsV1,
      };
      if (o.subresource) entry.subresource = o.subresource;
      return entry;
    });
  return entries.length > 0 ? entries : undefined;
}

/** Managers are one entry per name, operation and subresource, as kube keys them. */
export function sameOwner(
  o: Ownership,
  manager: string,
  operation: "Apply" | "Update",
  subresource: string | undefined,
): boolean {
  return o.manager === manager && o.operation === operation && (o.subresource ?? "") === (subresource ?? "");
}

export function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const path of a) if (!b.has(path)) return false;
  return true;
}
