import { X509Certificate, createPrivateKey } from "node:crypto";
import { execFile, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCertificateAuthority,
  loadCertificateAuthority,
  type CertificateAuthority,
  type IssuedCertificate,
} from "./certificate-authority.js";
import {
  issueClientCertificate,
  issueServingCertificate,
  serviceDnsNames,
  type ServingCertificateOptions,
} from "./serving-certificate.js";

const run = promisify(execFile);
const serverAuth = "1.3.6.1.5.5.7.3.1";
const clientAuth = "1.3.6.1.5.5.7.3.2";
const hasTool = (...command: [string, ...string[]]): boolean =>
  spawnSync(command[0], command.slice(1), { stdio: "ignore" }).status === 0;
const openssl = hasTool("openssl", "version");
const kubectl = hasTool("kubectl", "version", "--client");
const unlessOpenssl = openssl ? "" : " (skipped: openssl is not on PATH)";
const unlessKubectl = kubectl ? "" : " (skipped: kubectl, a Go TLS client, is not on PATH)";

let ca: CertificateAuthority;
let serving: IssuedCertificate;
let dir: string;

beforeAll(async () => {
  ca = await createCertificateAuthority();
  serving = await issueServingCertificate(ca, {
    dnsNames: ["localhost", "kubernetes.default.svc", ...serviceDnsNames("webhook", "switchboard-system")],
    ipAddresses: ["127.0.0.1", "::1"],
  });
  dir = await mkdtemp(join(tmpdir(), "switchboard-pki-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("issueServingCertificate", () => {
  it("puts every name in subjectAltName with EKU serverAuth, as Go's verifier needs", () => {
    const certificate = new X509Certificate(serving.certPem);
    expect(certificate.subjectAltName).toBe(
      [
        "DNS:localhost",
        "DNS:kubernetes.default.svc",
        "DNS:webhook",
        "DNS:webhook.switchboard-system",
        "DNS:webhook.switchboard-system.svc",
        "DNS:webhook.switchboard-system.svc.cluster.local",
        "IP Address:127.0.0.1",
        "IP Address:0:0:0:0:0:0:0:1",
      ].join(", "),
    );
    expect(certificate.keyUsage).toEqual([serverAuth]);
    expect(certificate.ca).toBe(false);
    expect(certificate.checkHost("webhook.switchboard-system.svc")).toBe("webhook.switchboard-system.svc");
    expect(certificate.checkIP("::1")).toBe("::1");
    expect(certificate.checkHost("example.com")).toBeUndefined();
    expect(certificate.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(certificate.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });

  it("returns a PKCS#8 key and a chain of leaf then CA", () => {
    // An unencrypted PKCS#8 PEM and nothing else: node re-exports it unchanged in that form.
    expect(String(createPrivateKey(serving.keyPem).export({ type: "pkcs8", format: "pem" })).trim()).toBe(
      serving.keyPem.trim(),
    );
    const blocks = serving.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    expect(blocks).toEqual([serving.certPem.trim(), ca.certPem.trim()]);
    expect(serving.caPem).toBe(ca.certPem);
  });

  const noNames =
    "a serving certificate needs at least one DNS name or IP address: Go clients ignore the common name";
  it.each<[ServingCertificateOptions, string]>([
    [{}, noNames],
    [{ commonName: "localhost" }, noNames],
    [{ dnsNames: ["not a name"] }, '"not a name" is not a DNS name a TLS client can match'],
    [{ ipAddresses: ["300.1.1.1"] }, '"300.1.1.1" is not an IPv4 or IPv6 address'],
  ])("refuses %j", async (options, message) => {
    await expect(issueServingCertificate(ca, options)).rejects.toThrow(message);
  });

  it("takes milliseconds with EC keys: a CA and a serving certificate in under a quarter second", async () => {
    const started = performance.now();
    const fresh = await createCertificateAuthority();
    await issueServingCertificate(fresh, { dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe("issueClientCertificate", () => {
  it("names the user in CN and each group in O, with EKU clientAuth", async () => {
    const client = await issueClientCertificate(ca, { user: "alice", groups: ["system:masters", "dev"] });
    const certificate = new X509Certificate(client.certPem);
    expect(certificate.subject).toBe("O=system:masters\nO=dev\nCN=alice");
    expect(certificate.keyUsage).toEqual([clientAuth]);
    expect(certificate.subjectAltName).toBeUndefined();
  });

  it("refuses an empty user name", async () => {
    await expect(issueClientCertificate(ca, { user: "" })).rejects.toThrow(
      "a client certificate needs a user name (its subject CN)",
    );
  });
});

describe("TLS with node:https", () => {
  let server: https.Server;
  let port: number;

  beforeAll(async () => {
    server = https.createServer(
      {
        cert: serving.chainPem,
        key: serving.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        response.end(JSON.stringify({ user: peer.subject?.CN ?? null, groups: peer.subject?.O ?? null }));
      },
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.close();
    await once(server, "close");
  });

  it.each([
    ["the DNS name localhost", { servername: "localhost" }],
    ["the service name kubernetes.default.svc", { servername: "kubernetes.default.svc" }],
    ["the IP address 127.0.0.1", {}],
  ])("a client trusting the CA accepts %s", async (_name, options) => {
    await expect(get({ port, ca: ca.certPem, ...options })).resolves.toMatchObject({ status: 200 });
  });

  it("a client trusting another CA refuses the certificate", async () => {
    const other = await createCertificateAuthority();
    await expect(get({ port, ca: other.certPem, servername: "localhost" })).rejects.toMatchObject({
      code: "SELF_SIGNED_CERT_IN_CHAIN",
    });
  });

  it("a client dialling a name the certificate does not carry refuses it", async () => {
    await expect(get({ port, ca: ca.certPem, servername: "example.com" })).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  it("a client certificate authenticates as its CN and O", async () => {
    const client = await issueClientCertificate(ca, { user: "alice", groups: ["system:masters"] });
    const response = await get({ port, ca: ca.certPem, cert: client.certPem, key: client.keyPem });
    expect(JSON.parse(response.body)).toEqual({ user: "alice", groups: "system:masters" });
  });
});

describe("TLS with Go's crypto/tls (kubectl)", () => {
  let server: https.Server;
  let port: number;
  let files: Record<"ca" | "otherCa" | "clientCert" | "clientKey", string>;

  beforeAll(async () => {
    const client = await issueClientCertificate(ca, { user: "kube-admin", groups: ["system:masters"] });
    const other = await createCertificateAuthority();
    files = {
      ca: await write("ca.crt", ca.certPem),
      otherCa: await write("other-ca.crt", other.certPem),
      clientCert: await write("client.crt", client.certPem),
      clientKey: await write("client.key", client.keyPem),
    };
    server = https.createServer(
      {
        cert: serving.chainPem,
        key: serving.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        const socket = request.socket as TLSSocket;
        response.setHeader("content-type", "application/json");
        response.end(
          JSON.stringify({
            user: socket.getPeerCertificate().subject?.CN ?? "",
            authorized: socket.authorized,
          }),
        );
      },
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.close();
    await once(server, "close");
  });

  it.skipIf(!kubectl).each([
    ["the IP address 127.0.0.1", []],
    ["the DNS name localhost", ["--tls-server-name=localhost"]],
    ["the DNS name kubernetes.default.svc", ["--tls-server-name=kubernetes.default.svc"]],
  ])(`accepts the serving certificate for %s${unlessKubectl}`, async (_name, extra) => {
    const { stdout } = await kubectlRaw(port, [`--certificate-authority=${files.ca}`, ...extra]);
    expect(JSON.parse(stdout)).toMatchObject({ authorized: false });
  });

  it.skipIf(!kubectl)(`presents a client certificate the server verifies${unlessKubectl}`, async () => {
    const { stdout } = await kubectlRaw(port, [
      `--certificate-authority=${files.ca}`,
      `--client-certificate=${files.clientCert}`,
      `--client-key=${files.clientKey}`,
    ]);
    expect(JSON.parse(stdout)).toEqual({ user: "kube-admin", authorized: true });
  });

  it.skipIf(!kubectl)(`refuses the certificate when trusting another CA${unlessKubectl}`, async () => {
    await expect(kubectlRaw(port, [`--certificate-authority=${files.otherCa}`])).rejects.toMatchObject({
      stderr: expect.stringContaining("x509: certificate signed by unknown authority"),
    });
  });

  it.skipIf(!kubectl || !openssl)(
    `accepts a certificate issued from a CA openssl made (SEC1 key, UTF8String subject)${unlessKubectl}${unlessOpenssl}`,
    async () => {
      const key = join(dir, "openssl-ca.key");
      const cert = join(dir, "openssl-ca.crt");
      await run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
      await run("openssl", [
        "req",
        "-x509",
        "-new",
        "-key",
        key,
        "-subj",
        "/CN=openssl-ca",
        "-days",
        "2",
        "-out",
        cert,
      ]);
      const loaded = await loadCertificateAuthority(
        await readFile(cert, "utf8"),
        await readFile(key, "utf8"),
      );
      const leaf = await issueServingCertificate(loaded, { ipAddresses: ["127.0.0.1"] });
      const other = https.createServer({ cert: leaf.chainPem, key: leaf.keyPem }, (_request, response) =>
        response.end("{}"),
      );
      other.listen(0, "127.0.0.1");
      await once(other, "listening");
      try {
        const otherPort = (other.address() as AddressInfo).port;
        const { stdout } = await kubectlRaw(otherPort, [`--certificate-authority=${cert}`]);
        expect(stdout.trim()).toBe("{}");
      } finally {
        other.close();
      }
    },
  );
});

describe("openssl verify -x509_strict", () => {
  it.skipIf(!openssl)(`accepts the serving certificate for purpose sslserver${unlessOpenssl}`, async () => {
    const caFile = await write("strict-ca.crt", ca.certPem);
    const leafFile = await write("strict-serving.crt", serving.certPem);
    const { stdout } = await run("openssl", [
      "verify",
      "-x509_strict",
      "-purpose",
      "sslserver",
      "-CAfile",
      caFile,
      leafFile,
    ]);
    expect(stdout.trim()).toBe(`${leafFile}: OK`);
  });

  it.skipIf(!openssl)(
    `accepts the client certificate for purpose sslclient, not sslserver${unlessOpenssl}`,
    async () => {
      const client = await issueClientCertificate(ca, { user: "alice" });
      const caFile = await write("strict-ca.crt", ca.certPem);
      const leafFile = await write("strict-client.crt", client.certPem);
      const verify = (purpose: string) =>
        run("openssl", ["verify", "-x509_strict", "-purpose", purpose, "-CAfile", caFile, leafFile]);
      await expect(verify("sslclient")).resolves.toMatchObject({ stdout: `${leafFile}: OK\n` });
      await expect(verify("sslserver")).rejects.toMatchObject({
        stderr: expect.stringContaining("unsuitable certificate purpose"),
      });
    },
  );
});

async function write(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

function kubectlRaw(port: number, flags: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(
    "kubectl",
    // A token, though unused, keeps kubectl from prompting for a user name on stdin.
    [
      "get",
      "--raw",
      "/version",
      `--server=https://127.0.0.1:${port}`,
      "--token=unused",
      "--request-timeout=10s",
      ...flags,
    ],
    // An absent kubeconfig keeps the developer's own config and credentials out of the request.
    { env: { ...process.env, KUBECONFIG: join(dir, "absent-kubeconfig") }, timeout: 15_000 },
  );
}

function get(options: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request({ host: "127.0.0.1", path: "/", agent: false, ...options }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}
