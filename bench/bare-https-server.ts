/**
 * The benchmark's baseline: a bare node:https server with the same kind of certificate, that reads a
 * JSON body, parses it, and answers it back. It prints its URL and CA as one JSON line.
 */
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createServingIdentity } from "../src/apiserver/serving-identity.js";

const identity = await createServingIdentity("127.0.0.1");
const server = createServer({ cert: identity.certPem, key: identity.keyPem }, (request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (c: Buffer) => chunks.push(c));
  request.on("end", () => {
    const body: unknown =
      chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : { kind: "Status" };
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `https://127.0.0.1:${port}`, ca: identity.caPem }));
});
