import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";

export type TIngressRoute = { ingress: string; service: string; port: string; upstreamPath: string };

/**
 * Where ingress-nginx sends a request for `url`, and with which path: a model of its rules, enough to
 * check the manifests. An Exact path wins; then the longest matching path. Once an Ingress of the host
 * uses `use-regex` or `rewrite-target`, every path of the host is a case-insensitive regex anchored at
 * the start; `rewrite-target` replaces what the path matched (with `$1`… from its groups).
 */
export function ingressRoute(ingresses: IIngress[], url: string): TIngressRoute | null {
  const { hostname, pathname } = new URL(url);
  const rules = ingresses.flatMap((ingress) =>
    (ingress.spec?.rules ?? [])
      .filter((rule) => rule.host === hostname)
      .flatMap((rule) => (rule.http?.paths ?? []).map((path) => ({ ingress, path }))),
  );
  const isRegexHost = rules.some(({ ingress }) => {
    const annotations = ingress.metadata?.annotations ?? {};
    return (
      annotations["nginx.ingress.kubernetes.io/use-regex"] === "true" ||
      "nginx.ingress.kubernetes.io/rewrite-target" in annotations
    );
  });
  const matches = (path: string, pathType: string) => {
    if (pathType === "Exact") return pathname === path;
    if (isRegexHost) return new RegExp(`^${path}`, "i").test(pathname);
    return path === "/" || pathname === path || pathname.startsWith(`${path.replace(/\/$/, "")}/`);
  };
  const candidates = rules.filter(({ path }) => matches(path.path ?? "/", path.pathType));
  const best =
    candidates.find(({ path }) => path.pathType === "Exact") ??
    candidates.sort((a, b) => (b.path.path ?? "/").length - (a.path.path ?? "/").length)[0];
  const service = best?.path.backend.service;
  if (!best || !service) return null;
  const rewrite = best.ingress.metadata?.annotations?.["nginx.ingress.kubernetes.io/rewrite-target"];
  return {
    ingress: best.ingress.metadata?.name ?? "",
    service: service.name,
    port: String(service.port?.name ?? service.port?.number),
    upstreamPath:
      rewrite === undefined ? pathname : pathname.replace(new RegExp(best.path.path ?? "/", "i"), rewrite),
  };
}
