import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { K8S_DIR, KUSTOMIZATION_FILE, readManifests, SECRET_EXAMPLE_FILE } from './k8s-manifests';
import { schemaViolations, unknownFields } from './kubernetes-schema';

interface Kustomization {
  apiVersion: string;
  kind: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const { files, documents, errors } = readManifests();
const apiObjects = documents.filter(({ file }) => file !== KUSTOMIZATION_FILE);

function only<T>(kind: string): T {
  const found = apiObjects.filter(({ file, body }) => body.kind === kind && file !== SECRET_EXAMPLE_FILE);
  if (found.length !== 1) throw new Error(`expected one ${kind} in deploy/k8s, found ${found.length}`);
  return found[0].body as T;
}

const deployment = only<IDeployment>('Deployment');
const configMap = only<IConfigMap>('ConfigMap');
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0];
/** The app's configuration from the ConfigMap, with the app's defaults for what it leaves out. */
const appConfig = () => loadAppConfig({ ...configMap.data, DATABASE_URL: 'postgres://localhost/inventory' });

/** The container port a probe or Service names, by number or by port name. */
function containerPort(of: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return of.ports?.find(({ name }) => name === port)?.containerPort;
}

describe('deploy/k8s manifests', () => {
  it('parse as YAML, every one', () => {
    expect(errors).toEqual([]);
    expect(documents.length).toBeGreaterThanOrEqual(files.length);
  });

  it('validate against the Kubernetes schema of their kind', () => {
    expect(apiObjects.map(({ body }) => `${String(body.apiVersion)}/${String(body.kind)}`).sort()).toEqual([
      'apps/v1/Deployment',
      'autoscaling/v2/HorizontalPodAutoscaler',
      'policy/v1/PodDisruptionBudget',
      'v1/ConfigMap',
      'v1/Secret',
      'v1/Service',
    ]);
    expect(schemaViolations(apiObjects)).toEqual([]);
  });

  it('use no field their kind does not have', () => {
    expect(unknownFields(apiObjects)).toEqual([]);
  });

  it('are all listed in the kustomization, except the Secret example', () => {
    const kustomization = documents.find(({ file }) => file === KUSTOMIZATION_FILE)?.body as Kustomization;
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
    expect([...(kustomization.resources ?? [])].sort()).toEqual(
      files.filter((file) => file !== KUSTOMIZATION_FILE && file !== SECRET_EXAMPLE_FILE),
    );
    // The images entry overrides the Deployment's placeholder image.
    expect(kustomization.images?.map(({ name }) => name)).toEqual([container.image?.split(':')[0]]);
  });

  it('probe /health/live and /health/ready on the container port the app listens on', () => {
    const appPort = appConfig().port;
    expect(container.ports?.map(({ containerPort }) => containerPort)).toEqual([appPort, appConfig().metrics.port]);
    const probe = (name: 'startupProbe' | 'livenessProbe' | 'readinessProbe') => {
      const httpGet = container[name]?.httpGet;
      return { path: httpGet?.path, port: containerPort(container, httpGet?.port) };
    };
    expect(probe('startupProbe')).toEqual({ path: '/health/live', port: appPort });
    expect(probe('livenessProbe')).toEqual({ path: '/health/live', port: appPort });
    expect(probe('readinessProbe')).toEqual({ path: '/health/ready', port: appPort });
  });

  it('let Prometheus scrape the metrics port of each pod, which the Service does not expose', () => {
    const { metrics } = appConfig();
    expect(metrics.enabled).toBe(true);
    expect(containerPort(container, 'metrics')).toBe(metrics.port);
    expect(deployment.spec!.template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metrics.port),
      'prometheus.io/path': '/metrics',
    });
    const service = only<IService>('Service');
    expect(service.spec?.ports?.map(({ targetPort }) => containerPort(container, targetPort))).not.toContain(metrics.port);
  });

  it('give the pod a grace period above the app drain delay plus shutdown timeout', () => {
    const { shutdown } = appConfig();
    expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(shutdown.drainDelayMs + shutdown.timeoutMs);
  });

  it('run as a non-root numeric user on a read-only root filesystem, without privileges', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    // The image's USER is the same numeric user, so the kubelet's runAsNonRoot check passes without the pod spec too.
    const dockerfile = readFileSync(join(K8S_DIR, '..', '..', 'Dockerfile'), 'utf8');
    const user = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    expect(user).toBe(`${pod.securityContext?.runAsUser}:${pod.securityContext?.runAsGroup}`);
  });

  it('request CPU and memory and cap memory, so the autoscaler has a CPU baseline', () => {
    expect(container.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
    expect(container.resources?.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
  });

  it('take the environment from the ConfigMap and the Secret, which runs the service on PostgreSQL', () => {
    const secret = apiObjects.find(({ file }) => file === SECRET_EXAMPLE_FILE)?.body as ISecret;
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata?.name } },
      { secretRef: { name: secret.metadata?.name } },
    ]);
    expect(Object.keys(secret.stringData ?? {}).sort()).toEqual(['ADMIN_API_KEY', 'DATABASE_URL', 'REDIS_URL']);
    expect(secret.stringData?.ADMIN_API_KEY.length).toBeGreaterThanOrEqual(32);
    expect(loadAppConfig({ ...configMap.data, ...secret.stringData }).database.kind).toBe('postgres');
  });

  it('share the rate-limit counters of every replica through Redis and count per client behind the ingress', () => {
    const secret = apiObjects.find(({ file }) => file === SECRET_EXAMPLE_FILE)?.body as ISecret;
    const config = loadAppConfig({ ...configMap.data, ...secret.stringData });
    expect(config.rateLimit).toMatchObject({ enabled: true, redisUrl: expect.stringMatching(/^rediss?:\/\//) });
    expect(config.trustProxy).not.toBe(false);
  });

  it('select the Deployment pods from the Service, the disruption budget and the autoscaler', () => {
    const podLabels = deployment.spec!.template.metadata?.labels;
    const service = only<IService>('Service');
    expect(service.spec).toMatchObject({ type: 'ClusterIP', selector: podLabels });
    expect(service.spec?.ports?.map(({ port, targetPort }) => [port, containerPort(container, targetPort)])).toEqual([
      [80, appConfig().port],
    ]);

    expect(only<IPodDisruptionBudget>('PodDisruptionBudget').spec?.selector?.matchLabels).toEqual(podLabels);

    const autoscaler = only<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').spec!;
    expect(autoscaler.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata?.name });
    expect(autoscaler.metrics?.map(({ resource }) => [resource?.name, resource?.target.type])).toEqual([['cpu', 'Utilization']]);
  });
});
