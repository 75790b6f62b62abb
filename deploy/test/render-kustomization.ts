import { execFileSync } from "node:child_process";
import * as apps from "kubernetes-models/apps/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as batch from "kubernetes-models/batch/v1";
import * as core from "kubernetes-models/v1";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as rbac from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as storage from "kubernetes-models/storage.k8s.io/v1";
import { parseAllDocuments } from "yaml";

/** Any object of the rendered output; narrowed with the models' `is` guards (every model extends it). */
export type TManifest = {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

type TModelClass = { apiVersion: string; kind: string; new (data: object): { validate(): void } };

/** Every built-in kind of the stable API groups the manifests may use, by `apiVersion/kind`. */
const MODELS = new Map<string, TModelClass>(
  [apps, autoscaling, batch, core, networking, policy, rbac, storage]
    .flatMap((group) => Object.values(group) as unknown[])
    .filter(
      (value): value is TModelClass =>
        typeof value === "function" && "apiVersion" in value && "kind" in value,
    )
    .map((model) => [`${model.apiVersion}/${model.kind}`, model]),
);

/** `kubectl kustomize <dir>`, parsed: one object per YAML document. */
export function renderKustomization(dir: string): TManifest[] {
  const output = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as TManifest;
  });
}

/** The object checked against the Kubernetes OpenAPI schema of its kind: a list of problems, empty when valid. */
export function schemaProblems(object: TManifest): string[] {
  const where = `${object.kind} ${object.metadata?.name}`;
  const Model = MODELS.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return [`${where}: unknown kind ${object.apiVersion}/${object.kind}`];
  try {
    new Model(withUnwrappedSecretData(object)).validate();
    return [];
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
}

/** kustomize wraps long base64 values over several lines, which the API server decodes as one. */
function withUnwrappedSecretData(object: TManifest): TManifest {
  if (!core.Secret.is(object) || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data).map(([key, value]) => [key, value.replace(/\s/g, "")]),
  );
  return { ...object, data } as TManifest;
}
