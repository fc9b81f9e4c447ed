/**
 * The deployable package: after the two vite builds have written `<out>/tab` and `<out>/server`,
 * `writeDeployPackage(out)` adds `<out>/package.json` and `<out>/package-lock.json` so that `<out>` alone
 * is the App Service site: `npm ci --omit=dev` inside it installs the product's run-time packages, at the
 * versions of the root lockfile, and nothing else (no dev tenant, no build or test tools).
 *
 * The dependencies are computed, not listed: every bare import of the server bundle (static imports,
 * re-exports, dynamic `import()` and `require()` of a string) is mapped to its package, which must be a
 * dependency of the root package.json; otherwise the build fails and names the import.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'vite';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A build problem the person running it must fix; its message says what and how. */
export class DeployPackageError extends Error {
  override name = 'DeployPackageError';
}

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  private?: boolean;
  type?: string;
  scripts?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface LockEntry {
  version?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/**
 * The package an import specifier loads (`zod/v4` → `zod`, `@azure/msal-node/x` → `@azure/msal-node`),
 * or undefined when it loads no package: relative or absolute paths, URLs (`node:`, `data:`, `file:`) and
 * Node's built-in modules.
 */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined;
  if (isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

type Node = { type?: unknown; [key: string]: unknown };

function stringValue(node: unknown): string | undefined {
  const n = node as Node | null | undefined;
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n?.type === 'TemplateLiteral' && Array.isArray(n.expressions) && n.expressions.length === 0) {
    const quasi = (n.quasis as Array<{ value: { cooked: string | null } }>)[0];
    return quasi?.value.cooked ?? undefined;
  }
  return undefined;
}

function isRequire(callee: unknown): boolean {
  const c = callee as Node;
  if (c.type === 'Identifier') return c.name === 'require' || c.name === '__require';
  // createRequire(import.meta.url)('x')
  if (c.type === 'CallExpression') return (c.callee as Node).type === 'Identifier' && (c.callee as Node).name === 'createRequire';
  // require.resolve('x') names a package as surely as require('x') does.
  return (
    c.type === 'MemberExpression' &&
    isRequire(c.object) &&
    (c.property as Node).type === 'Identifier' &&
    (c.property as Node).name === 'resolve'
  );
}

/** Every module specifier one JavaScript file imports; throws on an `import()` of a computed value. */
export function importSpecifiers(code: string, file: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration': {
        const s = stringValue(node.source);
        if (s !== undefined) found.push(s);
        break;
      }
      case 'ImportExpression': {
        const s = stringValue(node.source);
        if (s === undefined) {
          throw new DeployPackageError(
            `${file}: a dynamic import() of a computed value at offset ${String(node.start)}; the build cannot tell which package it loads, so dist/package.json could miss it. Import a string literal.`,
          );
        }
        found.push(s);
        break;
      }
      case 'CallExpression': {
        const args = node.arguments as unknown[];
        const s = isRequire(node.callee) ? stringValue(args[0]) : undefined;
        if (s !== undefined) found.push(s);
        break;
      }
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'type' && child && typeof child === 'object') visit(child);
  };
  visit(parseAst(code, { sourceType: 'module' }, file));
  return found;
}

async function javascriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(m?js|cjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The packages the built server imports at run time, each with the files (relative to `outDir`) importing it. */
export async function serverPackageImports(outDir: string): Promise<Map<string, string[]>> {
  const serverDir = path.join(outDir, 'server');
  const files = existsSync(serverDir) ? await javascriptFiles(serverDir) : [];
  if (!files.some((f) => path.basename(f) === 'main.js')) {
    throw new DeployPackageError(
      `${path.join(serverDir, 'main.js')} is missing: run the server build first (vite build --config server/vite.config.ts).`,
    );
  }
  const packages = new Map<string, string[]>();
  for (const file of files) {
    const rel = path.relative(outDir, file).split(path.sep).join('/');
    for (const specifier of importSpecifiers(await readFile(file, 'utf8'), rel)) {
      if (specifier.startsWith('#')) {
        throw new DeployPackageError(
          `${rel} imports "${specifier}", a package.json subpath import, which the deployed package does not define.`,
        );
      }
      const name = packageOf(specifier);
      if (!name) continue;
      const importers = packages.get(name) ?? [];
      if (!importers.includes(rel)) importers.push(rel);
      packages.set(name, importers);
    }
  }
  return packages;
}

/** Where npm's resolution finds `name` from the lockfile entry at `from` (node_modules nesting, walking up). */
function resolveInLock(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i >= 0 ? base.slice(0, i) : '';
  }
}

/**
 * The root lockfile cut down to `dependencies` and everything they need (dependencies, optional and peer
 * dependencies, at the very locations and versions the root installed), for `npm ci` in the package.
 */
export function pruneLockfile(root: Lockfile, pkg: PackageJson & { dependencies: Record<string, string> }): Lockfile {
  const kept: Record<string, LockEntry> = {};
  const queue: Array<{ from: string; name: string; optional: boolean; requiredBy: string }> = Object.keys(pkg.dependencies).map((name) => ({
    from: '',
    name,
    optional: false,
    requiredBy: 'package.json',
  }));
  for (let item = queue.shift(); item; item = queue.shift()) {
    const location = resolveInLock(root.packages, item.from, item.name);
    if (!location) {
      if (item.optional) continue;
      throw new DeployPackageError(
        `package-lock.json has no "${item.name}" (needed by ${item.requiredBy}): run npm install at the repository root.`,
      );
    }
    if (kept[location]) continue;
    const entry = root.packages[location]!;
    if (entry.link) {
      throw new DeployPackageError(
        `"${item.name}" (needed by ${item.requiredBy}) is a workspace package of this repository, which the deployed package cannot install.`,
      );
    }
    const { dev: _dev, devOptional, ...rest } = entry;
    kept[location] = devOptional ? { ...rest, optional: true } : rest;
    const edges = (deps: Record<string, string> | undefined, optional: (name: string) => boolean) =>
      Object.keys(deps ?? {}).forEach((name) => queue.push({ from: location, name, optional: optional(name), requiredBy: location }));
    edges(entry.dependencies, () => false);
    edges(entry.optionalDependencies, () => true);
    edges(entry.peerDependencies, (name) => entry.peerDependenciesMeta?.[name]?.optional === true);
  }
  const sorted = Object.fromEntries(Object.entries(kept).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: root.lockfileVersion,
    requires: true,
    packages: {
      '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, ...(pkg.engines ? { engines: pkg.engines } : {}) },
      ...sorted,
    },
  };
}

export interface DeployPackage {
  packageJson: PackageJson & { dependencies: Record<string, string>; scripts: Record<string, string> };
  /** Each dependency with the built files that import it. */
  importedBy: Map<string, string[]>;
  lockfile: Lockfile;
}

/**
 * Writes `<outDir>/package.json` (the root's name, version and engines; `npm start` runs the server; the
 * dependencies the server imports, with the root's version ranges) and `<outDir>/package-lock.json`.
 * Throws a DeployPackageError, naming the import, when the server imports a package that is not a
 * dependency of the root package.json.
 */
export async function writeDeployPackage(outDir: string, options: { rootDir?: string } = {}): Promise<DeployPackage> {
  const rootDir = options.rootDir ?? repoRoot;
  const root = JSON.parse(await readFile(path.join(rootDir, 'package.json'), 'utf8')) as PackageJson;
  const importedBy = await serverPackageImports(outDir);

  const problems: string[] = [];
  const dependencies: Record<string, string> = {};
  for (const [name, files] of [...importedBy].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const range = root.dependencies?.[name];
    if (range) {
      dependencies[name] = range;
      continue;
    }
    const where = root.devDependencies?.[name]
      ? `a devDependency of the root package.json; the server needs it at run time, so move it to "dependencies"`
      : `not a dependency of the root package.json; add it to "dependencies" (npm install ${name}) or stop importing it from the server`;
    problems.push(`  ${files.join(', ')} imports "${name}", which is ${where}.`);
  }
  if (problems.length) {
    throw new DeployPackageError(`The server bundle imports packages the deployed package would not install:\n${problems.join('\n')}`);
  }

  const packageJson: DeployPackage['packageJson'] = {
    name: root.name,
    version: root.version,
    ...(root.description ? { description: root.description } : {}),
    private: true,
    type: 'module',
    ...(root.engines ? { engines: root.engines } : {}),
    scripts: { start: 'node server/main.js' },
    dependencies,
  };

  const lockPath = path.join(rootDir, 'package-lock.json');
  if (!existsSync(lockPath)) throw new DeployPackageError(`${lockPath} is missing: run npm install at the repository root.`);
  const lockfile = pruneLockfile(JSON.parse(await readFile(lockPath, 'utf8')) as Lockfile, packageJson);

  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  await writeFile(path.join(outDir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  return { packageJson, importedBy, lockfile };
}
