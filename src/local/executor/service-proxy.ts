import type { Server, Socket } from "node:net";
import { connect, createServer } from "node:net";
import { freePort } from "./free-port.js";

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: string | number;
}

/** The ready endpoints of one Service port: ports of this machine. */
export type Endpoints = (port: ServicePort) => number[];

/**
 * kube-proxy for one Service, locally: each Service port listens on a port of this machine and
 * forwards each TCP connection to one of the Service's ready endpoints, in turn. With none ready a
 * connection is refused, as a ClusterIP without endpoints refuses it.
 */
export class ServiceProxy {
  readonly #servers: Server[] = [];
  readonly #sockets = new Set<Socket>();
  /** Service port name (or number) to the local address, `127.0.0.1:43121`. */
  readonly addresses = new Map<string, string>();

  constructor(
    readonly ports: readonly ServicePort[],
    readonly endpoints: Endpoints,
    readonly host = "127.0.0.1",
  ) {}

  /** Listens, on the ports asked for where they are free (a restarted dev mode keeps its URLs). */
  async listen(preferred: ReadonlyMap<string, number> = new Map()): Promise<void> {
    for (const servicePort of this.ports) {
      const key = servicePort.name ?? String(servicePort.port);
      let next = 0;
      const server = createServer((client) => {
        const targets = this.endpoints(servicePort);
        const target = targets[next++ % Math.max(targets.length, 1)];
        if (target === undefined) {
          client.resetAndDestroy();
          return;
        }
        const upstream = connect(target, this.host);
        for (const socket of [client, upstream]) {
          this.#sockets.add(socket);
          socket.once("close", () => this.#sockets.delete(socket));
          socket.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      const port = await this.#bind(server, preferred.get(key) ?? 0);
      this.#servers.push(server);
      this.addresses.set(key, `${this.host}:${port}`);
    }
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(
      this.#servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    this.#servers.length = 0;
  }

  async #bind(server: Server, preferred: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const port = await freePort(this.host, attempt === 0 ? preferred : 0);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen(port, this.host, () => {
            server.off("error", reject);
            resolve();
          });
        });
        return port;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 5) throw error;
      }
    }
  }
}
