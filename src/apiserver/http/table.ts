import { JSONPath } from "jsonpath-plus";
import type { PrinterColumn, ResourceType } from "../resources/resource-type.js";
import type { KubeObject } from "../types.js";
import { humanDuration } from "./human-duration.js";

/** How much of each object a Table row carries (`includeObject`). */
export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: { name: string; type: string; format: string; description: string; priority: number }[];
  rows: TableRow[];
}

const nameColumn = {
  name: "Name",
  type: "string",
  format: "name",
  description:
    "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.",
  priority: 0,
};

/**
 * Server-side printing, which `kubectl get` asks for with `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`:
 * a Name column, then the CRD's additionalPrinterColumns (or the built-in kind's columns).
 */
export class TableConverter {
  readonly #compiled = new WeakMap<PrinterColumn, (object: KubeObject) => unknown>();

  columnDefinitions(type: ResourceType): NonNullable<Table["columnDefinitions"]> {
    return [
      nameColumn,
      ...type.printerColumns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? "",
        description: c.description ?? "",
        priority: c.priority ?? 0,
      })),
    ];
  }

  row(type: ResourceType, object: KubeObject, include: IncludeObject, now: number): TableRow {
    const cells: unknown[] = [object.metadata.name];
    for (const column of type.printerColumns) cells.push(this.#cell(column, object, now));
    const row: TableRow = { cells };
    if (include === "Object") row.object = object;
    else if (include === "Metadata") {
      row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
    }
    return row;
  }

  #cell(column: PrinterColumn, object: KubeObject, now: number): unknown {
    let evaluate = this.#compiled.get(column);
    if (!evaluate) {
      evaluate = column.compute ? (o) => column.compute?.(o) : compileJsonPath(column.jsonPath);
      this.#compiled.set(column, evaluate);
    }
    const value = evaluate(object);
    if (value === undefined || value === null) return null;
    switch (column.type) {
      case "date": {
        const time = Date.parse(text(value));
        return Number.isNaN(time) ? text(value) : humanDuration(now - time);
      }
      case "integer":
      case "number":
        return typeof value === "number" ? value : Number.isNaN(Number(value)) ? text(value) : Number(value);
      case "boolean":
        return typeof value === "boolean" ? value : text(value) === "true";
      default:
        return typeof value === "object" ? JSON.stringify(value) : text(value);
    }
  }
}

/** Printer column paths are kube JSONPath without braces (`.spec.x`); jsonpath-plus wants `$.spec.x`. */
function compileJsonPath(path: string): (object: KubeObject) => unknown {
  const trimmed = path.trim().replace(/^\{(.*)\}$/, "$1");
  const expression = trimmed.startsWith("$") ? trimmed : `$${trimmed}`;
  const simple = /^\$(\.[A-Za-z0-9_-]+)+$/.test(expression) ? expression.slice(2).split(".") : undefined;
  if (simple) {
    // Most columns are plain field paths: walk them without the JSONPath engine.
    return (object) => {
      let value: unknown = object;
      for (const key of simple)
        value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      return value;
    };
  }
  return (object) => {
    const results: unknown[] = JSONPath({ path: expression, json: object, wrap: true });
    return results.length === 0 ? undefined : results.length === 1 ? results[0] : results.map(text).join(",");
  };
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value) ?? "";
}
