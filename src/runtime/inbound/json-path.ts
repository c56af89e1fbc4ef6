/** A dotted path into parsed JSON (`event.type`, `data.events`), as the connector schema writes them. */
export function valueAt(document: unknown, path: string): unknown {
  let value = document;
  for (const key of path.replace(/^\$\.?/, "").split(".")) {
    if (key === "") continue;
    if (value === null || typeof value !== "object") return undefined;
    value =
      Array.isArray(value) && /^\d+$/.test(key)
        ? value[Number(key)]
        : (value as Record<string, unknown>)[key];
  }
  return value;
}
