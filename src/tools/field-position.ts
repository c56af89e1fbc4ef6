import type { Document, LineCounter } from "yaml";
import { isMap, isNode, isScalar, isSeq } from "yaml";
import type { PathSegment } from "./field-path.js";
import { parseFieldPath } from "./field-path.js";

/** A place in a source file, lines and columns from 1. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Where a field (`spec.flows[0].target.action`) is in a parsed YAML document: the key of its mapping
 * entry, or its item in a sequence. A field the source does not have (a required one that is missing)
 * is placed at its nearest parent that it has; the object itself at the start of the document.
 */
export function fieldPosition(document: Document, lineCounter: LineCounter, path: string): SourcePosition {
  const segments = parseFieldPath(path);
  const found: PathSegment[] = [];
  let offset = document.contents?.range?.[0] ?? document.range?.[0] ?? 0;
  for (let i = 0; i < segments.length;) {
    const step = nextStep(document, found, segments, i);
    if (!step) break;
    found.push(step.key);
    offset = step.offset;
    i += step.consumed;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

interface Step {
  key: PathSegment;
  /** Where the key (or the sequence item) starts. */
  offset: number;
  /** How many segments of the path it stands for: more than one for a key with dots in it. */
  consumed: number;
}

function nextStep(
  document: Document,
  found: PathSegment[],
  segments: PathSegment[],
  from: number,
): Step | undefined {
  const parent = found.length === 0 ? document.contents : document.getIn(found, true);
  const segment = segments[from];
  if (isSeq(parent) && typeof segment === "number") {
    const item = parent.items[segment];
    const offset = isNode(item) ? item.range?.[0] : undefined;
    return offset === undefined ? undefined : { key: segment, offset, consumed: 1 };
  }
  if (!isMap(parent)) return undefined;
  // The longest run of segments that is one key: `switchboard.dev/owner` was split at its dot.
  for (let end = keyRunEnd(segments, from); end > from; end--) {
    const key = segments.slice(from, end).join(".");
    const pair = parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === key);
    const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (offset !== undefined) return { key, offset, consumed: end - from };
  }
  return undefined;
}

/** The end of the run of string segments from `from`: the pieces a dotted key could have been split into. */
function keyRunEnd(segments: PathSegment[], from: number): number {
  let end = from;
  while (end < segments.length && typeof segments[end] === "string") end++;
  return end;
}
