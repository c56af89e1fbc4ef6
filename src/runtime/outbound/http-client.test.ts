import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressRefusal, hostAllowed } from "./egress-guard.js";
import { HttpClient } from "./http-client.js";

describe("outbound HTTP under the egress rules", () => {
  const server = createServer((req, res) => {
    if (req.url === "/redirect-out") {
      res.writeHead(302, { location: "http://evil.example.net/steal" }).end();
      return;
    }
    if (req.url === "/redirect-in") {
      res.writeHead(307, { location: "/hello" }).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" }).end(`hello ${req.method ?? ""}`);
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const open = { hosts: ["127.0.0.1", "localhost"], allowPrivateNetworks: true, allowInsecureHTTP: true };
  const get = (client: HttpClient, url: string) =>
    client.send({ method: "GET", url: new URL(url), headers: {} }, 2_000);

  it("reaches an allowed host, following a redirect that stays allowed", async () => {
    const client = new HttpClient(open);
    expect((await get(client, `http://127.0.0.1:${port}/redirect-in`)).body).toBe("hello GET");
    await client.close();
  });

  it("refuses hosts outside the rules, plain http, and redirects that leave the rules", async () => {
    const client = new HttpClient({ ...open, hosts: ["127.0.0.1"] });
    await expect(get(client, `http://localhost:${port}/`)).rejects.toThrow(
      /^localhost is not among the connector's egress hosts or spec.egress.allowedHosts \(127.0.0.1\)$/,
    );
    await expect(get(client, `http://127.0.0.1:${port}/redirect-out`)).rejects.toThrow(
      /evil.example.net is not among/,
    );
    const httpsOnly = new HttpClient({ ...open, allowInsecureHTTP: false });
    await expect(get(httpsOnly, `http://127.0.0.1:${port}/`)).rejects.toThrow(
      "http://127.0.0.1:" +
        String(port) +
        " is refused: only https (spec.egress.allowInsecureHTTP allows http)",
    );
    await Promise.all([client.close(), httpsOnly.close()]);
  });

  it("refuses private and loopback addresses, by literal or through DNS, unless allowed", async () => {
    const client = new HttpClient({ ...open, allowPrivateNetworks: false });
    await expect(get(client, `http://127.0.0.1:${port}/`)).rejects.toThrow(
      /127.0.0.1 is a private, loopback or link-local address/,
    );
    await expect(get(client, `http://localhost:${port}/`)).rejects.toThrow(
      /^localhost resolves to (127.0.0.1|::1) is a private/,
    );
    await client.close();
  });

  it("never allows cloud metadata addresses", () => {
    expect(addressRefusal("169.254.169.254", { allowPrivateNetworks: true })).toBe(
      "169.254.169.254 is a cloud metadata address",
    );
    expect(addressRefusal("fd00:ec2::254", { allowPrivateNetworks: true })).toBe(
      "fd00:ec2::254 is a cloud metadata address",
    );
    expect(addressRefusal("10.1.2.3", { allowPrivateNetworks: false })).toMatch(/private/);
    expect(addressRefusal("fe80::1", { allowPrivateNetworks: false })).toMatch(/private/);
    expect(addressRefusal("140.82.112.3", { allowPrivateNetworks: false })).toBeUndefined();
    expect(addressRefusal("::ffff:169.254.169.254", { allowPrivateNetworks: true })).toBe(
      "::ffff:169.254.169.254 is a cloud metadata address",
    );
    expect(addressRefusal("::ffff:10.0.0.1", { allowPrivateNetworks: false })).toMatch(
      /^::ffff:10.0.0.1 is a private/,
    );
  });

  it("matches egress globs against subdomains only", () => {
    expect(hostAllowed("api.example.com", ["*.example.com"])).toBe(true);
    expect(hostAllowed("a.b.example.com", ["*.example.com"])).toBe(true);
    expect(hostAllowed("example.com", ["*.example.com"])).toBe(false);
    expect(hostAllowed("evilexample.com", ["*.example.com"])).toBe(false);
    expect(hostAllowed("API.GitHub.com.", ["api.github.com"])).toBe(true);
  });
});
