import { randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { createServer } from "node:https";
import { jwtVerify } from "jose";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createCertificateAuthority } from "../../src/pki/certificate-authority.js";
import { issueServingCertificate } from "../../src/pki/serving-certificate.js";

export interface TokenEndpoint {
  /** `https://127.0.0.1:<port>/oauth/token` */
  url: string;
  /** PEM of the CA that signed the endpoint's certificate. */
  caPem: string;
  /** Every request as received: headers and the parsed form. */
  requests: { headers: IncomingMessage["headers"]; form: URLSearchParams }[];
  /** Clients it knows, by id: their secret. */
  clients: Map<string, string>;
  /** Answer everything with this status (e.g. 503) instead, while set. */
  failWith: number | undefined;
  /** Wait this long before answering. */
  delayMs: number;
  /** Refresh tokens it honours; each use rotates it (the old one stops working). */
  refreshTokens: Set<string>;
  /** The public key JWT assertions (RFC 7523) must be signed with, for Google-style service accounts. */
  assertionKey: KeyObject | undefined;
  /** Token lifetime it announces, in seconds. */
  expiresIn: number;
  close(): Promise<void>;
}

/**
 * A real OAuth 2.0 token endpoint over HTTPS (RFC 6749 section 4.4) for tests: client authentication
 * by basic auth or form parameters, `invalid_client` for a wrong secret, a bearer token otherwise.
 */
export async function startTokenEndpoint(): Promise<TokenEndpoint> {
  const ca = await createCertificateAuthority();
  const serving = await issueServingCertificate(ca, { ipAddresses: ["127.0.0.1"], dnsNames: ["localhost"] });
  const endpoint: Omit<TokenEndpoint, "close"> = {
    url: "",
    caPem: ca.certPem,
    requests: [],
    clients: new Map(),
    failWith: undefined,
    delayMs: 0,
    refreshTokens: new Set(),
    assertionKey: undefined,
    expiresIn: 3600,
  };
  let issued = 0;
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      endpoint.requests.push({ headers: req.headers, form });
      const answer = (status: number, body: unknown) => {
        setTimeout(() => {
          res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
          res.end(JSON.stringify(body));
        }, endpoint.delayMs);
      };
      if (endpoint.failWith) return answer(endpoint.failWith, { error: "temporarily_unavailable" });
      if (req.url !== "/oauth/token" || req.method !== "POST") return answer(404, { error: "not_found" });
      const grant = form.get("grant_type");
      const token = () => ({
        access_token: `token-${++issued}`,
        token_type: "Bearer",
        expires_in: endpoint.expiresIn,
      });
      if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
        if (!endpoint.assertionKey) return answer(400, { error: "unsupported_grant_type" });
        jwtVerify(form.get("assertion") ?? "", endpoint.assertionKey, {
          audience: endpoint.url,
          algorithms: ["RS256"],
        }).then(
          () => answer(200, token()),
          (error: Error) => answer(400, { error: "invalid_grant", error_description: error.message }),
        );
        return;
      }
      if (grant === "refresh_token") {
        const presented = form.get("refresh_token") ?? "";
        if (!endpoint.refreshTokens.delete(presented)) return answer(400, { error: "invalid_grant" });
        const next = `refresh-${randomUUID()}`;
        endpoint.refreshTokens.add(next);
        return answer(200, { ...token(), refresh_token: next });
      }
      if (grant !== "client_credentials") return answer(400, { error: "unsupported_grant_type" });
      let id = form.get("client_id") ?? undefined;
      let secret = form.get("client_secret") ?? undefined;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (basic) {
        const [rawId = "", rawSecret = ""] = Buffer.from(basic, "base64").toString().split(":");
        const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
        id = decode(rawId);
        secret = decode(rawSecret);
      }
      if (!id || endpoint.clients.get(id) !== secret)
        return answer(401, { error: "invalid_client", error_description: "Client authentication failed" });
      answer(200, { access_token: `token-for-${id}`, token_type: "Bearer", expires_in: endpoint.expiresIn });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  endpoint.url = `https://127.0.0.1:${port}/oauth/token`;
  return Object.assign(endpoint, {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
