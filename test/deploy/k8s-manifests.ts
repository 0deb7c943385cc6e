import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ManifestDocument } from './kubernetes-schema';

export const K8S_DIR = join(__dirname, '..', '..', 'deploy', 'k8s');
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
export const SECRET_EXAMPLE_FILE = 'secret.example.yaml';

export interface ParsedManifests {
  files: string[];
  /** Every YAML document of every file, in file order. */
  documents: ManifestDocument[];
  /** YAML syntax errors, with their file. */
  errors: string[];
}

/** Reads the given files of deploy/k8s (default: all YAML files there). */
export function readManifests(
  files = readdirSync(K8S_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort(),
): ParsedManifests {
  const documents: ManifestDocument[] = [];
  const errors: string[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8'))) {
      errors.push(...document.errors.map((error) => `${file}: ${error.message}`));
      documents.push({ file, body: document.toJS() as ManifestDocument['body'] });
    }
  }
  return { files, documents, errors };
}
