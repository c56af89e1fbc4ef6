/** One step of a field path: a key of a mapping, or an index into a sequence. */
export type PathSegment = string | number;

/**
 * `spec.flows[0].target.action` as `["spec", "flows", 0, "target", "action"]`: the path `validateManifest`
 * and the operator's checks write. A key with dots in it (a label such as `switchboard.dev/owner`) comes
 * out split; `fieldPosition` joins the pieces back where the source has such a key.
 */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    segments.push(index !== undefined ? Number(index) : (key as string));
  return segments;
}
