/**
 * The runtime benchmark's baseline and sink: a bare node:http server that reads a JSON body, parses
 * it and answers 200. It counts what it received (`GET /count`) and prints its URL as one JSON line.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let received = 0;
const server = createServer((request, response) => {
  if (request.method === "GET" && request.url === "/count") {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received }));
    return;
  }
  const chunks: Buffer[] = [];
  request.on("data", (c: Buffer) => chunks.push(c));
  request.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    received++;
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
