export function defaultManagerName(userAgent: string | undefined): string {
  return (userAgent ?? "unknown").split("/")[0] ?? "unknown";
}
