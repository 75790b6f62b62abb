import { fileURLToPath } from "node:url";
import { Deployment, StatefulSet, type IDeployment, type IStatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, PersistentVolumeClaim, Secret, Service, type IContainer } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { ingressRoute } from "./ingress-route.ts";
import { renderKustomization, schemaProblems, type TManifest } from "./render-kustomization.ts";

const KUSTOMIZE_DIR = fileURLToPath(new URL("../kubernetes/", import.meta.url));

/** The keys of the Secret `relaycast-secrets` that docs/deploy-kubernetes.md tells operators to create. */
const OPERATOR_SECRET_KEYS = ["DATABASE_URL", "REDIS_URL", "WEB_AUTH_SECRET", "IRC_SECRET", "CLUSTER_SECRET"];
/** Served by every process on its HTTP port, for the cluster only. */
const INTERNAL_PATHS = ["/healthz", "/readyz", "/metrics"];

type TWorkload = IDeployment | IStatefulSet;
type TPod = { name: string; workload: TWorkload };

const nameOf = (object: { metadata?: { name?: string } }) => object.metadata?.name ?? "";
const podSpecOf = (workload: TWorkload) => workload.spec?.template.spec;
const containersOf = (workload: TWorkload): IContainer[] => podSpecOf(workload)?.containers ?? [];
const allContainersOf = (workload: TWorkload): IContainer[] => [
  ...(podSpecOf(workload)?.initContainers ?? []),
  ...containersOf(workload),
];
const isRelaycast = (container: IContainer) => /^relaycast\//.test(container.image ?? "");
const isMedia = (workload: TWorkload) =>
  containersOf(workload).some((container) => /^relaycast\/media(:|@|$)/.test(container.image ?? ""));

/** The pods a workload runs with its declared replica count (a Deployment's names are random). */
function podsOf(workload: TWorkload): TPod[] {
  if (Deployment.is(workload)) return [{ name: `${nameOf(workload)}-7d9f8c6b5-x2x4q`, workload }];
  return Array.from({ length: workload.spec?.replicas ?? 1 }, (_, ordinal) => ({
    name: `${nameOf(workload)}-${ordinal}`,
    workload,
  }));
}

/** Whether a label selector picks this pod; StatefulSet pods also carry their pod-name label. */
function selectsPod(selector: Record<string, string> | undefined, pod: TPod): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const labels: Record<string, string> = {
    ...pod.workload.spec?.template.metadata?.labels,
    ...(StatefulSet.is(pod.workload) ? { "statefulset.kubernetes.io/pod-name": pod.name } : {}),
  };
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * A container's environment as the kubelet builds it: the envFrom ConfigMaps, then `env` in order,
 * each `$(VAR)` expanded from what is defined before it. Secrets and the pod IP become placeholders.
 */
function environmentOf(container: IContainer, pod: TPod, objects: TManifest[]) {
  const configMaps = objects.filter(ConfigMap.is);
  const configMapData = (name: string) => configMaps.find((map) => nameOf(map) === name)?.data ?? {};
  const values = new Map<string, string>();
  const unresolved: string[] = [];
  for (const source of container.envFrom ?? []) {
    for (const [key, value] of Object.entries(configMapData(source.configMapRef?.name ?? "")))
      values.set(key, value);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const fields: Record<string, string> = {
      "metadata.name": pod.name,
      "metadata.namespace": "relaycast",
      "status.podIP": "10.1.2.3",
    };
    const raw =
      variable.value ??
      (from?.fieldRef ? fields[from.fieldRef.fieldPath] : undefined) ??
      (from?.configMapKeyRef
        ? configMapData(from.configMapKeyRef.name ?? "")[from.configMapKeyRef.key]
        : undefined) ??
      (from?.secretKeyRef ? `<secret ${from.secretKeyRef.key}>` : undefined) ??
      "";
    const expanded = raw.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (reference, name: string) => {
      const value = values.get(name);
      if (value === undefined) unresolved.push(`${variable.name} uses $(${name})`);
      return value ?? reference;
    });
    values.set(variable.name, expanded);
  }
  return { values, unresolved };
}

const RENDERS = [
  { name: "base", dir: `${KUSTOMIZE_DIR}base` },
  { name: "local overlay", dir: `${KUSTOMIZE_DIR}overlays/local` },
].map(({ name, dir }) => ({ name, objects: renderKustomization(dir) }));

describe.each(RENDERS)("kubectl kustomize, $name", ({ objects }) => {
  const workloads = objects.filter(
    (object): object is TManifest & TWorkload => Deployment.is(object) || StatefulSet.is(object),
  );
  const pods = workloads.flatMap(podsOf);
  const services = objects.filter(Service.is);
  const ingresses = objects.filter(Ingress.is);
  const config =
    objects.filter(ConfigMap.is).find((map) => nameOf(map).startsWith("relaycast-config"))?.data ?? {};
  const workload = (kind: string, name: string) => {
    const found = workloads.find((object) => object.kind === kind && nameOf(object) === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found;
  };
  const envOf = (pod: TPod) =>
    environmentOf(containersOf(pod.workload)[0] ?? { name: "" }, pod, objects).values;

  it("renders only known kinds, each valid against its Kubernetes schema", () => {
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it("gives every container liveness and readiness probes, resource requests and limits", () => {
    const problems = workloads.flatMap((object) =>
      allContainersOf(object).flatMap((container) => {
        const where = `${object.kind} ${nameOf(object)}, container ${container.name}`;
        const isInit = (podSpecOf(object)?.initContainers ?? []).includes(container);
        const found: string[] = [];
        if (!isInit && !container.livenessProbe) found.push(`${where}: no livenessProbe`);
        if (!isInit && !container.readinessProbe) found.push(`${where}: no readinessProbe`);
        for (const bound of ["requests", "limits"] as const)
          for (const resource of ["cpu", "memory"])
            if (container.resources?.[bound]?.[resource] === undefined)
              found.push(`${where}: no resources.${bound}.${resource}`);
        const declared = (container.ports ?? []).flatMap((port) => [port.name, port.containerPort]);
        for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe])
          if (probe?.httpGet && !declared.includes(probe.httpGet.port))
            found.push(`${where}: probe on undeclared port ${probe.httpGet.port}`);
        if (!isInit && isRelaycast(container)) {
          if (container.livenessProbe?.httpGet?.path !== "/healthz")
            found.push(`${where}: liveness is not /healthz`);
          if (container.readinessProbe?.httpGet?.path !== "/readyz")
            found.push(`${where}: readiness is not /readyz`);
        }
        return found;
      }),
    );
    expect(problems).toEqual([]);
  });

  it("covers every workload with a PodDisruptionBudget, and every budget covers a workload", () => {
    const budgets = objects.filter(PodDisruptionBudget.is);
    const covers = (budget: (typeof budgets)[number], object: TWorkload) =>
      podsOf(object).some((pod) => selectsPod(budget.spec?.selector?.matchLabels, pod));
    expect(
      workloads.filter((object) => !budgets.some((budget) => covers(budget, object))).map(nameOf),
    ).toEqual([]);
    expect(
      budgets.filter((budget) => !workloads.some((object) => covers(budget, object))).map(nameOf),
    ).toEqual([]);
  });

  it("points every Service at pods that declare its target ports", () => {
    const problems = services.flatMap((service) => {
      const selected = pods.filter((pod) => selectsPod(service.spec?.selector, pod));
      if (selected.length === 0) return [`Service ${nameOf(service)} selects no pod`];
      return (service.spec?.ports ?? []).flatMap((port) => {
        const target = port.targetPort ?? port.port;
        const isDeclared = selected.every((pod) =>
          containersOf(pod.workload).some((container) =>
            (container.ports ?? []).some(
              (declared) => declared.name === target || declared.containerPort === target,
            ),
          ),
        );
        return isDeclared ? [] : [`Service ${nameOf(service)}: no container port ${target}`];
      });
    });
    expect(problems).toEqual([]);
  });

  it("runs every pod as non-root, without privilege escalation, capabilities or a service account token", () => {
    const problems = workloads.flatMap((object) => {
      const spec = podSpecOf(object);
      const where = `${object.kind} ${nameOf(object)}`;
      const found: string[] = [];
      if (spec?.securityContext?.runAsNonRoot !== true) found.push(`${where}: runAsNonRoot is not set`);
      if (spec?.securityContext?.seccompProfile?.type !== "RuntimeDefault")
        found.push(`${where}: no seccomp`);
      if (spec?.automountServiceAccountToken !== false)
        found.push(`${where}: mounts a service account token`);
      for (const container of allContainersOf(object)) {
        if (container.securityContext?.allowPrivilegeEscalation !== false)
          found.push(`${where}, ${container.name}: may escalate privileges`);
        if (!container.securityContext?.capabilities?.drop?.includes("ALL"))
          found.push(`${where}, ${container.name}: keeps capabilities`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  it("gives media pods 40 s to drain and the other Relaycast pods 15 s", () => {
    const relaycast = workloads.filter((object) => containersOf(object).some(isRelaycast));
    const periods = Object.fromEntries(
      relaycast.map((object) => [nameOf(object), podSpecOf(object)?.terminationGracePeriodSeconds]),
    );
    const expected = Object.fromEntries(
      relaycast.map((object) => [nameOf(object), isMedia(object) ? 40 : 15]),
    );
    expect(periods).toEqual(expected);
    for (const pod of pods.filter((candidate) => isMedia(candidate.workload))) {
      const drainSeconds = Number(envOf(pod).get("MEDIA_DRAIN_TIMEOUT_MS")) / 1000;
      expect(drainSeconds + 5).toBeLessThanOrEqual(
        podSpecOf(pod.workload)?.terminationGracePeriodSeconds ?? 0,
      );
    }
  });

  it("has Prometheus scrape every Relaycast pod's /metrics on a port it declares", () => {
    const problems = workloads
      .filter((object) => containersOf(object).some(isRelaycast))
      .flatMap((object) => {
        const annotations = object.spec?.template.metadata?.annotations ?? {};
        const ports = containersOf(object).flatMap((container) => container.ports ?? []);
        const isOk =
          annotations["prometheus.io/scrape"] === "true" &&
          annotations["prometheus.io/path"] === "/metrics" &&
          ports.some((port) => String(port.containerPort) === annotations["prometheus.io/port"]);
        return isOk ? [] : [nameOf(object)];
      });
    expect(problems).toEqual([]);
  });

  it("runs the four Relaycast images at the tag kustomize sets", () => {
    const images = new Set(workloads.flatMap(allContainersOf).map((container) => container.image ?? ""));
    const relaycast = [...images].filter((image) => image.startsWith("relaycast/"));
    expect(new Set(relaycast.map((image) => image.split(":")[0]))).toEqual(
      new Set(["relaycast/web", "relaycast/chat", "relaycast/media", "relaycast/ircd"]),
    );
    for (const image of relaycast) expect(image).toMatch(/^relaycast\/[a-z]+:[\w.-]+$/);
  });

  it("defines every $(VAR) a container's environment refers to", () => {
    const unresolved = pods.flatMap((pod) =>
      containersOf(pod.workload).flatMap((container) =>
        environmentOf(container, pod, objects).unresolved.map((problem) => `${pod.name}: ${problem}`),
      ),
    );
    expect(unresolved).toEqual([]);
  });

  it("scales the edges with a CPU HorizontalPodAutoscaler that owns their replica count", () => {
    const edges = workload("Deployment", "media-edge");
    const autoscaler = objects
      .filter(HorizontalPodAutoscaler.is)
      .find(
        (hpa) =>
          hpa.spec?.scaleTargetRef.kind === "Deployment" && hpa.spec.scaleTargetRef.name === "media-edge",
      );
    expect(autoscaler).toBeDefined();
    expect(autoscaler?.spec?.metrics?.some((metric) => metric.resource?.name === "cpu")).toBe(true);
    expect(autoscaler?.spec?.minReplicas).toBeGreaterThanOrEqual(1);
    expect(edges.spec?.replicas).toBeUndefined();
  });

  it("takes RTMP at the origins through a LoadBalancer Service that keeps client addresses", () => {
    const origins = podsOf(workload("StatefulSet", "media-origin"));
    const ingest = services.filter(
      (service) =>
        service.spec?.type === "LoadBalancer" &&
        service.spec.ports?.some((port) => port.port === 1935) &&
        origins.every((pod) => selectsPod(service.spec?.selector, pod)),
    );
    expect(ingest.map(nameOf)).toHaveLength(1);
    expect(ingest[0]?.spec?.externalTrafficPolicy).toBe("Local");
    for (const pod of origins) expect(envOf(pod).get("MEDIA_ROLE")).toBe("origin");
  });

  it("gives every origin a stable node id, relay address and a mount of the one archive volume", () => {
    const origins = podsOf(workload("StatefulSet", "media-origin"));
    for (const pod of origins) {
      const env = envOf(pod);
      expect(env.get("MEDIA_NODE_ID")).toBe(pod.name);
      expect(env.get("MEDIA_RELAY_ADDRESS")).toBe(`${pod.name}.media-origin.relaycast.svc:1940`);
      const claim = podSpecOf(pod.workload)?.volumes?.find((volume) => volume.persistentVolumeClaim)?.name;
      const mount = containersOf(pod.workload)[0]?.volumeMounts?.find(
        (candidate) => candidate.name === claim,
      );
      expect(mount?.mountPath).toBe(env.get("MEDIA_ARCHIVE_DIR"));
    }
  });

  it("links as many IRC servers as the ircd StatefulSet runs", () => {
    const ircd = workload("StatefulSet", "ircd");
    expect(envOf(podsOf(ircd)[0]!).get("IRC_REPLICAS")).toBe(String(ircd.spec?.replicas ?? 1));
  });

  it("routes the site, chat and each media node's public URL through the Ingress", () => {
    expect(ingresses.length).toBeGreaterThan(0);
    const site = config.WEB_PUBLIC_URL ?? "";
    const route = (url: string) => ingressRoute(ingresses, url);
    expect(route(`${site}/`)).toMatchObject({ service: "web", upstreamPath: "/" });
    expect(route(`${site}/alice`)).toMatchObject({ service: "web", upstreamPath: "/alice" });
    const chat = route(`${site}/socket.io/?EIO=4&transport=polling`);
    expect(chat).toMatchObject({ service: "chat", upstreamPath: "/socket.io/" });
    const chatIngress = ingresses.find((ingress) => nameOf(ingress) === chat?.ingress);
    expect(chatIngress?.metadata?.annotations?.["nginx.ingress.kubernetes.io/affinity"]).toBe("cookie");

    const media = pods.filter((pod) => isMedia(pod.workload));
    for (const pod of media) {
      const publicUrl = envOf(pod).get("MEDIA_PUBLIC_HTTP_URL") ?? "";
      const paths = StatefulSet.is(pod.workload)
        ? ["/thumbnails/alice.jpg", "/vod/1/index.m3u8"]
        : ["/live/alice.flv"];
      for (const path of paths) {
        const found = route(`${publicUrl}${path}`);
        const service = services.find((candidate) => nameOf(candidate) === found?.service);
        expect(found?.upstreamPath, `${publicUrl}${path}`).toBe(path);
        expect(selectsPod(service?.spec?.selector, pod), `${publicUrl}${path} reaches ${pod.name}`).toBe(
          true,
        );
      }
    }
  });

  it("routes Ingress paths only to Services and ports that exist", () => {
    const backends = ingresses.flatMap((ingress) =>
      (ingress.spec?.rules ?? []).flatMap((rule) =>
        (rule.http?.paths ?? []).map((path) => path.backend.service),
      ),
    );
    const missing = backends.filter((backend) => {
      const service = services.find((candidate) => nameOf(candidate) === backend?.name);
      return !service?.spec?.ports?.some(
        (port) => port.name === backend?.port?.name || port.port === backend?.port?.number,
      );
    });
    expect(missing).toEqual([]);
  });

  it("never routes /healthz, /readyz, /metrics or the media API from the Ingress", () => {
    const mediaServices = services
      .filter((service) =>
        pods.some((pod) => isMedia(pod.workload) && selectsPod(service.spec?.selector, pod)),
      )
      .map(nameOf);
    const publicBases = [
      config.WEB_PUBLIC_URL ?? "",
      `${config.WEB_PUBLIC_URL}/socket.io`,
      ...pods
        .filter((pod) => isMedia(pod.workload))
        .map((pod) => envOf(pod).get("MEDIA_PUBLIC_HTTP_URL") ?? ""),
    ];
    const leaks = publicBases.flatMap((base) =>
      [...INTERNAL_PATHS, "/api/v1/streams"].flatMap((path) => {
        const found = ingressRoute(ingresses, `${base}${path}`);
        const isLeak =
          found !== null &&
          (INTERNAL_PATHS.includes(found.upstreamPath) ||
            (mediaServices.includes(found.service) && found.upstreamPath.startsWith("/api/")));
        return isLeak ? [`${base}${path} → ${found.service} ${found.upstreamPath}`] : [];
      }),
    );
    expect(leaks).toEqual([]);
  });
});

describe("kubectl kustomize, base", () => {
  const objects = RENDERS[0]!.objects;

  it("holds no Secret and no datastore: PostgreSQL and Redis are external", () => {
    expect(objects.filter(Secret.is)).toEqual([]);
    const names = objects.filter((object) => Deployment.is(object) || StatefulSet.is(object)).map(nameOf);
    expect(names.sort()).toEqual(["chat", "ircd", "media-edge", "media-origin", "web"]);
  });

  it("reads only the documented keys of the operator's Secret", () => {
    const workloads = objects.filter(
      (object): object is TManifest & TWorkload => Deployment.is(object) || StatefulSet.is(object),
    );
    const refs = workloads
      .flatMap(allContainersOf)
      .flatMap((container) => container.env ?? [])
      .flatMap((variable) => (variable.valueFrom?.secretKeyRef ? [variable.valueFrom.secretKeyRef] : []));
    expect(new Set(refs.map((ref) => ref.name))).toEqual(new Set(["relaycast-secrets"]));
    expect(new Set(refs.map((ref) => ref.key))).toEqual(new Set(OPERATOR_SECRET_KEYS));
  });

  it("shares the archive between origins on a ReadWriteMany volume", () => {
    const archive = objects
      .filter(PersistentVolumeClaim.is)
      .find((claim) => nameOf(claim) === "media-archive");
    expect(archive?.spec?.accessModes).toEqual(["ReadWriteMany"]);
  });
});

describe("kubectl kustomize, local overlay", () => {
  const objects = RENDERS[1]!.objects;
  const secret = objects.find(Secret.is);
  const secretValue = (key: string) => Buffer.from(secret?.data?.[key] ?? "", "base64").toString("utf8");

  it("brings every Secret key, ConfigMap and volume claim its pods refer to", () => {
    const workloads = objects.filter(
      (object): object is TManifest & TWorkload => Deployment.is(object) || StatefulSet.is(object),
    );
    const has = (kind: string, name: string) =>
      objects.some((object) => object.kind === kind && nameOf(object) === name);
    const missing = workloads.flatMap((object) => [
      ...allContainersOf(object).flatMap((container) => [
        ...(container.env ?? []).flatMap((variable) => {
          const ref = variable.valueFrom?.secretKeyRef;
          return ref && !(ref.name === nameOf(secret ?? {}) && secret?.data?.[ref.key])
            ? [`secret key ${ref.key}`]
            : [];
        }),
        ...(container.envFrom ?? []).flatMap((source) =>
          source.configMapRef && !has("ConfigMap", source.configMapRef.name ?? "")
            ? [source.configMapRef.name]
            : [],
        ),
      ]),
      ...(podSpecOf(object)?.volumes ?? []).flatMap((volume) => [
        ...(volume.secret && !has("Secret", volume.secret.secretName ?? "")
          ? [volume.secret.secretName]
          : []),
        ...(volume.persistentVolumeClaim &&
        !has("PersistentVolumeClaim", volume.persistentVolumeClaim.claimName)
          ? [volume.persistentVolumeClaim.claimName]
          : []),
      ]),
    ]);
    expect(missing).toEqual([]);
  });

  it("generates obviously local secrets long enough for the processes, and a DATABASE_URL that matches", () => {
    for (const key of ["WEB_AUTH_SECRET", "IRC_SECRET", "CLUSTER_SECRET"]) {
      expect(secretValue(key)).toMatch(/^local-only-/);
      expect(secretValue(key).length).toBeGreaterThanOrEqual(32);
    }
    const database = new URL(secretValue("DATABASE_URL"));
    expect(database.password).toBe(secretValue("POSTGRES_PASSWORD"));
    expect(database.hostname).toBe("postgres");
    expect(new URL(secretValue("REDIS_URL")).hostname).toBe("redis");
    const serviceNames = objects.filter(Service.is).map(nameOf);
    expect(serviceNames).toEqual(expect.arrayContaining(["postgres", "redis"]));
  });
});
