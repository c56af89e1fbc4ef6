/**
 * A connector template (`/repos/{input.owner}/{input.repo}/issues`, `https://{config.domain}`) filled
 * from the action's input and the Integration's config. In paths each value is URL-encoded, so an
 * input cannot add path segments or a query.
 */
export function renderTemplate(
  template: string,
  values: { input?: unknown; config: Record<string, unknown> },
  encode: boolean,
): string {
  return template.replace(
    /\{(input|config)\.([A-Za-z0-9_.-]+)\}/g,
    (_match, root: "input" | "config", path: string) => {
      let value: unknown = root === "input" ? values.input : values.config;
      for (const key of path.split("."))
        value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      if (value === undefined || value === null) throw new TemplateError(`{${root}.${path}} has no value`);
      const text =
        typeof value === "string"
          ? value
          : typeof value === "number" || typeof value === "boolean"
            ? String(value)
            : JSON.stringify(value);
      return encode ? encodeURIComponent(text) : text;
    },
  );
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}
