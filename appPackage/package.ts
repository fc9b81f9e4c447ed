/**
 * The Teams app package: ${{VARS}} substituted from env/.env.<name> (plus .env.<name>.user), validated
 * offline against the schema bundled in @microsoft/app-manifest, zipped with the two icons.
 */
import { readFile, writeFile, mkdir, access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import JSZip from 'jszip';
import { AppManifestUtils } from '@microsoft/app-manifest';

export const appPackageDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(appPackageDir, '..');
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export async function readEnv(name: string, extra: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const file = path.join(repoRoot, 'env', `.env.${name}`);
  if (!(await exists(file))) throw new Error(`No environment '${name}': ${path.relative(repoRoot, file)} does not exist.`);
  const values = parseDotenv(await readFile(file));
  const user = `${file}.user`;
  if (await exists(user)) Object.assign(values, parseDotenv(await readFile(user)));
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') values[k] = v;
  return values;
}

/** Every ${{NAME}} in a text. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!))];
}

export function substitute(text: string, values: Record<string, string>): string {
  const missing = placeholders(text).filter((p) => values[p] === undefined);
  if (missing.length) throw new Error(`These variables are not defined for this environment: ${missing.join(', ')}`);
  return text.replace(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, k: string) => values[k]!);
}

/** The schema file the library bundles for the manifest's $schema version, read from disk. */
export async function bundledSchema(manifest: {
  manifestVersion?: string;
}): Promise<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]> {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(pkgDir, 'build', 'json-schemas', 'teams', `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json');
  if (!(await exists(file))) throw new Error(`@microsoft/app-manifest bundles no schema for manifestVersion ${manifest.manifestVersion}`);
  return JSON.parse((await readFile(file, 'utf8')).replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b'));
}

export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  // The schema is passed in, so validation never goes to the network.
  return AppManifestUtils.validateAgainstSchema(manifest as never, await bundledSchema(manifest));
}

export async function buildManifest(envName: string): Promise<Record<string, unknown>> {
  const template = await readFile(path.join(appPackageDir, 'manifest.json'), 'utf8');
  return JSON.parse(substitute(template, await readEnv(envName, process.env))) as Record<string, unknown>;
}

/** Builds, validates and zips; returns the zip's path. Throws with every schema error listed. */
export async function packageApp(envName: string, outDir = path.join(appPackageDir, 'build')): Promise<string> {
  const manifest = await buildManifest(envName);
  const errors = await validateManifest(manifest);
  if (errors.length) throw new Error(`The manifest for '${envName}' is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const icon of ['color.png', 'outline.png']) zip.file(icon, await readFile(path.join(appPackageDir, icon)));
  await mkdir(outDir, { recursive: true });
  const out = path.join(outDir, `appPackage.${envName}.zip`);
  await writeFile(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return out;
}
