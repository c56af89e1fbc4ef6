import { celDuration } from "./cel-library.js";
import { celVisible, escapeCelName } from "./cel-values.js";
import { goRegExp } from "./go-regexp.js";
import type { SchemaNode } from "./structural-schema.js";

/**
 * What kube's typed CEL compilation catches that a `dyn`-typed check does not: fields the schema does
 * not declare (`undefined field 'foo'`), and invalid regex, duration and timestamp literals (kube's
 * ValidateRegexLiterals and friends). Walks cel-js's AST with the schema as the type of `self`.
 */

/** A cel-js AST node: an operator and its arguments, with the source offset of the node. */
export interface CelAst {
  op: string;
  args: unknown;
  pos?: number;
  start?: number;
}

export interface CelIssue {
  /** Offset in the expression the issue points at. */
  offset: number;
  message: string;
}

type Shape =
  | { kind: "schema"; node: SchemaNode; resourceRoot: boolean }
  | { kind: "fields"; fields: ReadonlyMap<string, Shape> }
  | { kind: "dyn" };

const dyn: Shape = { kind: "dyn" };
const stringShape: Shape = { kind: "dyn" };

export function isAst(value: unknown): value is CelAst {
  return typeof value === "object" && value !== null && typeof (value as { op?: unknown }).op === "string";
}

export function staticCheck(
  ast: CelAst,
  self: SchemaNode,
  resourceRoot: boolean,
  oldSelfTyped: boolean,
): { issues: CelIssue[]; type: string | undefined } {
  const issues: CelIssue[] = [];
  const selfShape: Shape = { kind: "schema", node: self, resourceRoot };
  const scope = new Map<string, Shape>([
    ["self", selfShape],
    ["oldSelf", oldSelfTyped ? selfShape : dyn],
  ]);
  const shape = shapeOf(ast, scope, issues);
  return {
    issues,
    type: shape.kind === "schema" && !shape.node.intOrString ? celTypeName(shape.node) : undefined,
  };
}

// The CEL type kube declares for a schema node, named as cel-js names types.
function celTypeName(node: SchemaNode): string | undefined {
  switch (node.type) {
    case "boolean":
      return "bool";
    case "integer":
      return "int";
    case "number":
      return "double";
    case "string":
      return node.format === "date-time" || node.format === "date"
        ? "google.protobuf.Timestamp"
        : node.format === "duration"
          ? "google.protobuf.Duration"
          : node.format === "byte"
            ? "bytes"
            : "string";
    case "array":
      return "list";
    case "object":
      return node.additionalProperties && node.additionalProperties !== true ? "map" : "object";
    default:
      return undefined;
  }
}

/** Whether the expression reads `oldSelf`: then it is a transition rule. */
export function readsOldSelf(ast: CelAst): boolean {
  if (ast.op === "id" && ast.args === "oldSelf") return true;
  return children(ast).some(readsOldSelf);
}

/** Points every `x.matches(re)` at the RE2 implementation; returns whether anything changed. */
export function useRe2Matches(ast: CelAst): boolean {
  let changed = false;
  if (ast.op === "rcall" && Array.isArray(ast.args) && ast.args[0] === "matches") {
    ast.args[0] = "matchesRe2";
    changed = true;
  }
  for (const child of children(ast)) changed = useRe2Matches(child) || changed;
  return changed;
}

function shapeOf(ast: CelAst, scope: ReadonlyMap<string, Shape>, issues: CelIssue[]): Shape {
  const args = Array.isArray(ast.args) ? (ast.args as unknown[]) : [];
  switch (ast.op) {
    case "id":
      return scope.get(String(ast.args)) ?? dyn;
    case ".":
    case ".?": {
      const [target, field] = args;
      if (!isAst(target) || typeof field !== "string") return dyn;
      return select(shapeOf(target, scope, issues), field, ast, issues);
    }
    case "[]":
    case "[?]": {
      const [target, index] = args;
      const base = isAst(target) ? shapeOf(target, scope, issues) : dyn;
      if (isAst(index)) shapeOf(index, scope, issues);
      return indexed(base);
    }
    case "call": {
      const [name, callArgs] = args;
      const list = Array.isArray(callArgs) ? callArgs.filter(isAst) : [];
      checkLiterals(String(name), list, issues);
      for (const arg of list) shapeOf(arg, scope, issues);
      return dyn;
    }
    case "rcall":
      return receiverCall(args, scope, issues);
    default:
      for (const child of children(ast)) shapeOf(child, scope, issues);
      return dyn;
  }
}

const macros = new Set(["all", "exists", "exists_one", "map", "filter"]);

function receiverCall(args: unknown[], scope: ReadonlyMap<string, Shape>, issues: CelIssue[]): Shape {
  const [name, receiver, callArgs] = args;
  const list = Array.isArray(callArgs) ? callArgs.filter(isAst) : [];
  const target = isAst(receiver) ? receiver : undefined;
  if (target?.op === "id" && target.args === "cel" && name === "bind" && list.length === 3) {
    const [variable, value, body] = list as [CelAst, CelAst, CelAst];
    const inner = new Map(scope);
    inner.set(String(variable.args), shapeOf(value, scope, issues));
    return shapeOf(body, inner, issues);
  }
  const base = target ? shapeOf(target, scope, issues) : dyn;
  const [first] = list;
  if (typeof name === "string" && macros.has(name) && first?.op === "id" && list.length >= 2) {
    const inner = new Map(scope);
    inner.set(String(first.args), iterationShape(base));
    for (const arg of list.slice(1)) shapeOf(arg, inner, issues);
    return dyn;
  }
  checkLiterals(String(name), list, issues);
  for (const arg of list) shapeOf(arg, scope, issues);
  return dyn;
}

function select(base: Shape, field: string, at: CelAst, issues: CelIssue[]): Shape {
  if (base.kind === "dyn") return dyn;
  const fields = base.kind === "fields" ? base.fields : fieldsOf(base.node, base.resourceRoot);
  if (!fields) {
    // A map: any key may be selected, and the value has the map's value schema.
    return base.kind === "schema" ? mapValue(base.node) : dyn;
  }
  const found = fields.get(field);
  if (!found) {
    issues.push({ offset: Math.max(0, (at.pos ?? 1) - 1), message: `undefined field '${field}'` });
    return dyn;
  }
  return found;
}

function indexed(base: Shape): Shape {
  if (base.kind !== "schema") return dyn;
  if (base.node.type === "array" && base.node.items)
    return { kind: "schema", node: base.node.items, resourceRoot: base.node.items.embeddedResource };
  return mapValue(base.node);
}

function iterationShape(base: Shape): Shape {
  if (base.kind === "schema" && base.node.type === "array" && base.node.items)
    return { kind: "schema", node: base.node.items, resourceRoot: base.node.items.embeddedResource };
  return base.kind === "schema" ? stringShape : dyn;
}

function mapValue(node: SchemaNode): Shape {
  const value = node.additionalProperties;
  return value && value !== true
    ? { kind: "schema", node: value, resourceRoot: value.embeddedResource }
    : dyn;
}

const metadataFields: ReadonlyMap<string, Shape> = new Map([
  ["name", dyn],
  ["generateName", dyn],
]);
const fieldCache = new WeakMap<SchemaNode, ReadonlyMap<string, Shape> | null>();

/** The fields CEL knows on an object node (escaped names), or undefined for maps and non-objects. */
function fieldsOf(node: SchemaNode, resourceRoot: boolean): ReadonlyMap<string, Shape> | undefined {
  if (node.intOrString || node.type !== "object") return undefined;
  if (node.additionalProperties !== undefined && node.additionalProperties !== true) return undefined;
  let fields = fieldCache.get(node);
  if (fields === undefined) {
    const map = new Map<string, Shape>();
    for (const [name, property] of node.properties ?? []) {
      const escaped = escapeCelName(name);
      if (escaped !== undefined && celVisible(property))
        map.set(escaped, { kind: "schema", node: property, resourceRoot: property.embeddedResource });
    }
    fields = map;
    fieldCache.set(node, fields);
  }
  if (!resourceRoot && !node.embeddedResource) return fields ?? undefined;
  const withMeta = new Map(fields ?? []);
  withMeta.set("apiVersion", dyn);
  withMeta.set("kind", dyn);
  withMeta.set("metadata", { kind: "fields", fields: metadataFields });
  return withMeta;
}

// kube's ValidateRegexLiterals, ValidateDurationLiterals and ValidateTimestampLiterals.
function checkLiterals(name: string, args: CelAst[], issues: CelIssue[]): void {
  const literal = (ast: CelAst | undefined): string | undefined =>
    ast?.op === "value" && typeof ast.args === "string" ? ast.args : undefined;
  const at = (ast: CelAst | undefined): number => ast?.start ?? ast?.pos ?? 0;
  if (name === "matches" || name === "find" || name === "findAll") {
    const pattern = literal(args.length === 2 && name === "matches" ? args[1] : args[0]);
    if (pattern !== undefined) {
      try {
        goRegExp(pattern);
      } catch (error) {
        issues.push({
          offset: at(args[0]),
          message: `invalid ${name} argument: ${(error as Error).message}`,
        });
      }
    }
  }
  if (name === "duration") {
    const text = literal(args[0]);
    if (text !== undefined && celDuration(text) === undefined)
      issues.push({ offset: at(args[0]), message: `invalid duration argument: ${JSON.stringify(text)}` });
  }
  if (name === "timestamp") {
    const text = literal(args[0]);
    if (text !== undefined && Number.isNaN(Date.parse(text)))
      issues.push({ offset: at(args[0]), message: `invalid timestamp argument: ${JSON.stringify(text)}` });
  }
}

/** The AST nodes directly under a node, wherever cel-js keeps them in its arguments. */
export function children(ast: CelAst): CelAst[] {
  const found: CelAst[] = [];
  const collect = (value: unknown): void => {
    if (isAst(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
  };
  collect(ast.args);
  return found;
}
