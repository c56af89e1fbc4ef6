/**
 * kube's CEL `url()` library: a URL as Go's url.ParseRequestURI reads it (absolute URLs and absolute
 * paths), with its getters.
 */
export class KubeUrl {
  private constructor(
    readonly scheme: string,
    readonly host: string,
    readonly hostname: string,
    readonly port: string,
    readonly escapedPath: string,
    readonly query: string,
  ) {}

  static parse(text: string): KubeUrl {
    if (text.startsWith("/")) {
      const url = new URL(text, "http://relative.invalid");
      return new KubeUrl("", "", "", "", url.pathname, url.search.slice(1));
    }
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1];
    if (!scheme || /\s/.test(text)) throw new Error(`parse ${JSON.stringify(text)}: invalid URI for request`);
    const url = new URL(text);
    const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(text)?.[1] ?? "";
    const host = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
    const port = /:(\d*)$/.exec(host.replace(/^\[[^\]]*\]/, ""))?.[1] ?? "";
    return new KubeUrl(
      scheme,
      host,
      hostname,
      port,
      url.pathname === "/" && !/^[^:]+:\/\/[^/]*\//.test(text) ? "" : url.pathname,
      url.search.slice(1),
    );
  }

  static isUrl(text: string): boolean {
    try {
      KubeUrl.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  /** The query as Go's url.Values: each key to all its values. */
  queryValues(): Record<string, string[]> {
    const values: Record<string, string[]> = {};
    for (const [key, value] of new URLSearchParams(this.query)) (values[key] ??= []).push(value);
    return values;
  }
}
