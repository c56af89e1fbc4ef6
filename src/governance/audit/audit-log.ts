import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import type { AuditEvent } from "./audit-event.js";

export interface AuditLogOptions {
  /** Each event as one JSON line, e.g. stdout. */
  write?: (line: string) => void;
  /** Also appended to this file. */
  file?: string;
  /** Also POSTed to this URL in batches (a JSON array), retried until accepted. */
  url?: string;
  /** Events held for the URL while it is down; beyond this the oldest are dropped and counted. @default 10000 */
  bufferLimit?: number;
  /** Told when events could not be kept for the URL. */
  onDropped?: (count: number) => void;
}

/**
 * The audit trail, apart from the process's own logs: one JSON line per event (OCSF API Activity) on
 * its stream, optionally a file and an HTTP endpoint. Writing never blocks the request it records.
 */
export class AuditLog {
  readonly #options: AuditLogOptions;
  readonly #file: WriteStream | undefined;
  #pending: AuditEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;
  #failures = 0;

  constructor(options: AuditLogOptions) {
    this.#options = options;
    this.#file = options.file ? createWriteStream(options.file, { flags: "a" }) : undefined;
  }

  record(event: AuditEvent): void {
    const line = JSON.stringify(event);
    this.#options.write?.(line);
    this.#file?.write(`${line}\n`);
    if (!this.#options.url) return;
    this.#pending.push(event);
    const limit = this.#options.bufferLimit ?? 10_000;
    if (this.#pending.length > limit) {
      const dropped = this.#pending.length - limit;
      this.#pending.splice(0, dropped);
      this.#options.onDropped?.(dropped);
    }
    this.#timer ??= setTimeout(
      () => void this.flush(),
      this.#failures === 0 ? 200 : Math.min(30_000, 500 * 2 ** this.#failures),
    );
  }

  /** Sends what is pending to the URL now. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sending;
    const url = this.#options.url;
    if (!url || this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#sending = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(10_000),
    })
      .then((response) => {
        if (!response.ok) throw new Error(`${response.status}`);
        this.#failures = 0;
      })
      .catch(() => {
        this.#failures++;
        this.#pending = [...batch, ...this.#pending];
        this.#timer ??= setTimeout(() => void this.flush(), Math.min(30_000, 500 * 2 ** this.#failures));
      });
    await this.#sending;
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.#timer);
    await new Promise<void>((resolve) => (this.#file ? this.#file.end(() => resolve()) : resolve()));
  }
}
