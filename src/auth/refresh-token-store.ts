import { open, readFile, rename } from "node:fs/promises";

/** Where a rotated OAuth 2.0 refresh token is kept, so a restart uses the newest one. */
export interface RefreshTokenStore {
  load(): Promise<string | undefined>;
  save(token: string): Promise<void>;
}

/** A file on the pod's volume, replaced atomically (temp file, fsync, rename), readable by the owner only. */
export class FileRefreshTokenStore implements RefreshTokenStore {
  constructor(readonly path: string) {}

  async load(): Promise<string | undefined> {
    try {
      const text = (await readFile(this.path, "utf8")).trim();
      return text === "" ? undefined : text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async save(token: string): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const file = await open(temporary, "w", 0o600);
    try {
      await file.writeFile(token);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
  }
}
