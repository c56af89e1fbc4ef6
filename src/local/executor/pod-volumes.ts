import { mkdir, readdir, rename, rm, symlink, writeFile, lstat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Container, Volume } from "./pod-spec.js";

/** The keys of a ConfigMap or Secret as the files a pod sees; undefined when the object does not exist. */
export type VolumeSource = (
  kind: "ConfigMap" | "Secret",
  namespace: string,
  name: string,
) => Map<string, Buffer> | undefined;

export interface MaterializeOptions {
  /** The pod's file system root: a mount at `/etc/x` is the folder `<root>/etc/x`. */
  root: string;
  /** Where emptyDir volumes live, kept across restarts of the pod's process. */
  volumesDir: string;
  namespace: string;
  container: Container;
  volumes: Volume[];
  source: VolumeSource;
}

/**
 * What kubelet does before a container starts: ConfigMaps and Secrets written as one file per key
 * (keys that went away removed), emptyDirs created. Called again when a ConfigMap or Secret changes,
 * as kubelet updates mounted files in place. A missing object that is not optional is an error naming
 * it; the pod waits for it.
 */
export async function materializeVolumes(options: MaterializeOptions): Promise<void> {
  for (const mount of options.container.volumeMounts ?? []) {
    const volume = options.volumes.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volume mount ${mount.name}: the pod has no volume of that name`);
    const target = join(options.root, mount.mountPath);
    if (volume.emptyDir) {
      const dir = join(options.volumesDir, volume.name);
      await mkdir(dir, { recursive: true });
      if (!(await exists(target))) {
        await mkdir(dirname(target), { recursive: true });
        await symlink(dir, target);
      }
      continue;
    }
    const [kind, name, optional] = volume.configMap
      ? (["ConfigMap", volume.configMap.name, volume.configMap.optional] as const)
      : volume.secret
        ? (["Secret", volume.secret.secretName, volume.secret.optional] as const)
        : [undefined, "", false];
    if (!kind) throw new Error(`volume ${volume.name}: only configMap, secret and emptyDir run locally`);
    const data = options.source(kind, options.namespace, name);
    if (!data && !optional)
      throw new Error(`${kind} ${options.namespace}/${name} not found (volume ${volume.name})`);
    await writeKeys(target, data ?? new Map<string, Buffer>());
  }
}

async function writeKeys(dir: string, data: Map<string, Buffer>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [key, value] of data) {
    const temporary = join(dir, `..${key}.tmp`);
    await writeFile(temporary, value, { mode: 0o600 });
    await rename(temporary, join(dir, key));
  }
  for (const name of await readdir(dir))
    if (!name.startsWith("..") && !data.has(name)) await rm(join(dir, name), { force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
