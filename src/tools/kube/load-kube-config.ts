import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";

/** Where `switchboard dev` writes its kubeconfig. */
export const localKubeconfig = ".switchboard/kubeconfig";

/**
 * The kubeconfig a command uses: the one given, else `$KUBECONFIG`, else local mode's
 * (`.switchboard/kubeconfig`) when it exists here, else `~/.kube/config`.
 */
export function loadKubeConfig(file: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (file) kubeConfig.loadFromFile(file);
  else if (!process.env.KUBECONFIG && existsSync(localKubeconfig)) kubeConfig.loadFromFile(localKubeconfig);
  else kubeConfig.loadFromDefault();
  if (!kubeConfig.getCurrentCluster())
    throw new Error(
      "no cluster in the kubeconfig: pass --kubeconfig, set KUBECONFIG, or start `switchboard dev`",
    );
  return kubeConfig;
}
