import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Checks manifests against the Kubernetes 1.33 OpenAPI schemas shipped in kubernetes-models (nothing downloads).
 * Its validators check types, required fields, enums and formats but accept unknown fields, which the API server rejects
 * (kubectl's strict field validation); the package's TypeScript interfaces catch those: excess-property checks on an
 * object literal reach every nesting level.
 */

interface KindSchema {
  validate(data: unknown): void;
  /** Module and interface declaring the kind's fields. */
  typeModule: string;
  typeName: string;
}

const byModel = (model: { new (data: never): { validate(): void } }, typeModule: string, typeName: string): KindSchema => ({
  validate: (data) => new model(data as never).validate(),
  typeModule: `kubernetes-models/${typeModule}`,
  typeName,
});

const KINDS: Record<string, KindSchema> = {
  'v1/ConfigMap': byModel(ConfigMap, 'v1/ConfigMap', 'IConfigMap'),
  'v1/Secret': byModel(Secret, 'v1/Secret', 'ISecret'),
  'v1/Service': byModel(Service, 'v1/Service', 'IService'),
  'apps/v1/Deployment': byModel(Deployment, 'apps/v1/Deployment', 'IDeployment'),
  'policy/v1/PodDisruptionBudget': byModel(PodDisruptionBudget, 'policy/v1/PodDisruptionBudget', 'IPodDisruptionBudget'),
  'autoscaling/v2/HorizontalPodAutoscaler': byModel(
    HorizontalPodAutoscaler,
    'autoscaling/v2/HorizontalPodAutoscaler',
    'IHorizontalPodAutoscaler',
  ),
};

export interface ManifestDocument {
  file: string;
  body: { apiVersion?: unknown; kind?: unknown };
}

const kindOf = (body: ManifestDocument['body']) => `${String(body.apiVersion)}/${String(body.kind)}`;

/** Schema violations, one message per document; empty when all are valid. */
export function schemaViolations(documents: ManifestDocument[]): string[] {
  return documents.flatMap(({ file, body }) => {
    const schema = KINDS[kindOf(body)];
    if (!schema) return [`${file}: no schema for ${kindOf(body)}`];
    try {
      schema.validate(body);
      return [];
    } catch (error) {
      return [`${file} (${kindOf(body)}): ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

/** Fields the kind does not have (typically misspelled), one message each; empty when there are none. */
export function unknownFields(documents: ManifestDocument[]): string[] {
  const sources = new Map<string, string>();
  const manifestFiles = new Map<string, string>();
  documents.forEach(({ file, body }, index) => {
    const schema = KINDS[kindOf(body)];
    if (!schema) return;
    const source =
      `import type { ${schema.typeName} } from '${schema.typeModule}';\n` +
      `export const manifest: ${schema.typeName} = ${JSON.stringify(body, null, 2)};\n`;
    // Virtual files beside this one, so that module resolution finds node_modules.
    const virtualPath = join(__dirname, `${index}-${file}.ts`);
    sources.set(virtualPath, source);
    manifestFiles.set(virtualPath, file);
  });

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const [getSourceFile, fileExists, readFile] = [host.getSourceFile.bind(host), host.fileExists.bind(host), host.readFile.bind(host)];
  host.getSourceFile = (name, language, ...rest) => {
    const source = sources.get(name);
    return source === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, source, language);
  };
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  host.readFile = (name) => sources.get(name) ?? readFile(name);

  const program = ts.createProgram([...sources.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = manifestFiles.get(diagnostic.file?.fileName ?? '') ?? diagnostic.file?.fileName ?? '';
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
