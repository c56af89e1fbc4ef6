import { compareCodePoints, goJson, goJsonString, goValueString } from "./go-text.js";
import { isMap } from "./json-value.js";

/**
 * One step of a field path, in the text form fieldsV1 uses for its keys: `f:<name>` (a field),
 * `k:<json>` (a list element named by its key fields, sorted), `v:<json>` (a set element), `i:<n>`
 * (an index). Elements are kept canonical (kube's JSON encoding) so that equal elements are equal
 * strings and sets of them can be plain string sets.
 */
export type PathElement = string;

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** `key` holds the key fields; their order does not matter, the encoding sorts them. */
export function keyElement(key: Record<string, unknown>): PathElement {
  return `k:${goJson(key)}`;
}

/** A key element from key fields already in sorted order: the hot path of every keyed list walk. */
export function sortedKeyElement(names: readonly string[], values: readonly unknown[]): PathElement {
  let text = "k:{";
  for (let i = 0; i < names.length; i++) {
    if (i > 0) text += ",";
    text += `${goJsonString(names[i] as string)}:${goJson(values[i])}`;
  }
  return `${text}}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${goJson(value)}`;
}

export function isFieldElement(element: PathElement): boolean {
  return element.startsWith("f:");
}

export function fieldName(element: PathElement): string {
  return element.slice(2);
}

const canonical = new Map<string, PathElement | undefined>();
const canonicalLimit = 50_000;

/**
 * The canonical form of an element read from a client's fieldsV1, or undefined for a kind of element
 * this server does not know (kube drops those too). Throws on malformed JSON. Remembered, since the
 * same few elements are read over and over.
 */
export function canonicalElement(text: string): PathElement | undefined {
  if (canonical.has(text)) return canonical.get(text);
  const element = canonicalize(text);
  if (canonical.size >= canonicalLimit) canonical.clear();
  canonical.set(text, element);
  return element;
}

function canonicalize(text: string): PathElement | undefined {
  if (text.length < 2 || text[1] !== ":") throw new Error(`missing colon: ${text}`);
  switch (text[0]) {
    case "f":
      return text;
    case "k": {
      const key: unknown = JSON.parse(text.slice(2));
      if (!isMap(key)) throw new Error(`key element is not an object: ${text}`);
      return keyElement(key);
    }
    case "v":
      return valueElement(JSON.parse(text.slice(2)));
    case "i": {
      const index = Number(text.slice(2));
      if (!Number.isInteger(index)) throw new Error(`invalid index: ${text}`);
      return `i:${index}`;
    }
    default:
      return undefined;
  }
}

type Parsed =
  | { rank: 0; name: string }
  | { rank: 1; key: [string, unknown][] }
  | { rank: 2; value: unknown }
  | { rank: 3; index: number };

function parse(element: PathElement): Parsed {
  const rest = element.slice(2);
  switch (element[0]) {
    case "k": {
      const key = JSON.parse(rest) as Record<string, unknown>;
      return { rank: 1, key: Object.entries(key).sort(([a], [b]) => compareCodePoints(a, b)) };
    }
    case "v":
      return { rank: 2, value: JSON.parse(rest) as unknown };
    case "i":
      return { rank: 3, index: Number(rest) };
    default:
      return { rank: 0, name: rest };
  }
}

/** Sorts elements in structured-merge-diff's `PathElement.Compare` order, the order fieldsV1 is written in. */
export function sortElements(elements: Iterable<PathElement>): PathElement[] {
  const decorated = [...elements].map((element) => ({ element, parsed: parse(element) }));
  decorated.sort((a, b) => compareParsed(a.parsed, b.parsed));
  return decorated.map((d) => d.element);
}

function compareParsed(a: Parsed, b: Parsed): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  switch (a.rank) {
    case 0:
      return compareCodePoints(a.name, (b as typeof a).name);
    case 1: {
      const other = (b as typeof a).key;
      for (let i = 0; ; i++) {
        const x = a.key[i];
        const y = other[i];
        if (x === undefined) return y === undefined ? 0 : -1;
        if (y === undefined) return 1;
        const byName = compareCodePoints(x[0], y[0]);
        if (byName !== 0) return byName;
        const byValue = compareValues(x[1], y[1]);
        if (byValue !== 0) return byValue;
      }
    }
    case 2:
      return compareValues(a.value, (b as typeof a).value);
    case 3:
      return a.index - (b as typeof a).index;
  }
}

/** structured-merge-diff's total order of values: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; ; i++) {
      if (i >= a.length) return i >= b.length ? 0 : -1;
      if (i >= b.length) return 1;
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
  }
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareCodePoints);
    for (const key of keys) {
      if (a[key] === undefined) return 1;
      if (b[key] === undefined) return -1;
      const c = compareValues(a[key], b[key]);
      if (c !== 0) return c;
    }
  }
  return 0;
}

function valueRank(value: unknown): number {
  if (typeof value === "number") return 0;
  if (typeof value === "string") return 1;
  if (typeof value === "boolean") return 2;
  if (Array.isArray(value)) return 3;
  if (isMap(value)) return 4;
  return 5;
}

/** A path as kube prints it in conflicts and errors: `.spec.ports[name="http",protocol="TCP"].port`. */
export function displayPath(path: readonly PathElement[]): string {
  return path.map(displayElement).join("");
}

export function displayElement(element: PathElement): string {
  const parsed = parse(element);
  switch (parsed.rank) {
    case 0:
      return `.${parsed.name}`;
    case 1:
      return `[${parsed.key.map(([name, value]) => `${name}=${goValueString(value)}`).join(",")}]`;
    case 2:
      return `[=${goValueString(parsed.value)}]`;
    case 3:
      return `[${parsed.index}]`;
  }
}
