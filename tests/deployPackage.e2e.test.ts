/**
 * The package teamsapp.yml deploys, made the way its deploy stage makes it: the two vite builds and
 * scripts/buildDeploy.ts (`npm run build`) into a folder, `npm ci --omit=dev` inside it, zipped as
 * azureAppService/zipDeploy zips its artifact folder (honouring the ignore file), unpacked outside the
 * repository (so nothing can come from the repository's node_modules) and started as App Service starts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ignore from 'ignore';
import JSZip from 'jszip';
import { build } from 'vite';
import { parse as parseYaml } from 'yaml';
import { startTestTenant, type TestTenant } from '../devtenant/testkit';
import { spawnTree, type ProcessTree } from '../scripts/processes';
import { DeployPackageError, writeDeployPackage } from '../scripts/deployPackage';
import { freePort } from './support/ports';

const repoRoot = path.resolve(import.meta.dirname, '..');
// Inside the project like dist/ (npm ci's install scripts find the root's tools there, as on deploy), and
// under node_modules, where vitest does not look for tests: the installed packages ship *.test.* files.
const stage = path.join(repoRoot, 'node_modules', '.cache', 'deploy-package');
let site: string;
let entries: string[];
let dt: TestTenant | undefined;
const processes: ProcessTree[] = [];

interface DeployedPackageJson {
  name: string;
  type: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: unknown;
}

const rootPackage = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const zipDeploy = (
  parseYaml(await readFile(path.join(repoRoot, 'teamsapp.yml'), 'utf8')) as {
    deploy: Array<{ uses: string; with: Record<string, string> }>;
  }
).deploy.find((a) => a.uses === 'azureAppService/zipDeploy')!;

/** Runs a command to its end; resolves with its exit code and output. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  const p = spawnTree(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(p);
  let output = '';
  p.child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  p.child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return p.exited.then(({ code }) => ({ code, output }));
}

/** The zip azureAppService/zipDeploy sends: every file of the folder that the ignore file (and `.deployment`) does not exclude. */
async function zipAsTeamsToolkit(folder: string, ignoreFile: string): Promise<Buffer> {
  const ig = ignore().add('.deployment');
  for (const line of (await readFile(ignoreFile, 'utf8')).split('\n')) ig.add(line.trim());
  const zip = new JSZip();
  const walk = async (dir: string): Promise<void> => {
    await Promise.all(
      (await readdir(dir)).map(async (name) => {
        const full = path.join(dir, name);
        const rel = path.relative(folder, full).split(path.sep).join('/');
        if (ig.ignores(rel)) return;
        // Like the toolkit (klaw + readFile): a symlink (node_modules/.bin) goes in as the file it points to.
        if ((await lstat(full)).isDirectory()) await walk(full);
        else zip.file(rel, await readFile(full));
      }),
    );
  };
  await walk(folder);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

async function unzip(data: Buffer, into: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(data);
  const files = Object.values(zip.files).filter((f) => !f.dir);
  for (const dir of new Set(files.map((f) => path.dirname(path.join(into, f.name))))) await mkdir(dir, { recursive: true });
  for (let i = 0; i < files.length; i += 200) {
    await Promise.all(files.slice(i, i + 200).map(async (f) => writeFile(path.join(into, f.name), await f.async('nodebuffer'))));
  }
  return files.map((f) => f.name).sort();
}

/** The packages a built file imports, read with a plain pattern (independent of the build script's parser). */
function importedPackages(code: string): string[] {
  const specifiers = [
    ...code.matchAll(
      /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1|\bimport\s*(['"])([^'"]+)\3|\bimport\s*\(\s*(['"`])([^'"`]+)\5\s*\)|\brequire\s*\(\s*(['"])([^'"]+)\7\s*\)/g,
    ),
  ].map((m) => m[2] ?? m[4] ?? m[6] ?? m[8]!);
  const bare = specifiers.filter((s) => !/^[./]/.test(s) && !/^[a-z][a-z0-9+.-]*:/i.test(s) && !isBuiltin(s));
  return [...new Set(bare.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)))].sort();
}

beforeAll(async () => {
  await rm(stage, { recursive: true, force: true });
  await build({
    configFile: path.join(repoRoot, 'tab/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: path.join(stage, 'tab'), emptyOutDir: true },
  });
  await build({
    configFile: path.join(repoRoot, 'server/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: path.join(stage, 'server'), emptyOutDir: true },
  });
  // The build's last step, as `npm run build` runs it, given the folder instead of dist.
  const packaged = await run(process.execPath, ['--import', 'tsx', 'scripts/buildDeploy.ts', stage], { cwd: repoRoot });
  expect(packaged.code, packaged.output).toBe(0);
  const installed = await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: stage });
  expect(installed.code, installed.output).toBe(0);

  site = await mkdtemp(path.join(tmpdir(), 'dd-site-'));
  entries = await unzip(await zipAsTeamsToolkit(stage, path.join(repoRoot, zipDeploy.with.ignoreFile!)), site);
}, 300_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await dt?.close();
  if (site) await rm(site, { recursive: true, force: true });
  await rm(stage, { recursive: true, force: true });
}, 60_000);

describe('the deployed package', () => {
  it('is what teamsapp.yml deploys: the build output folder, after npm run build', () => {
    expect(zipDeploy.with.artifactFolder).toBe('dist');
    expect(rootPackage.scripts.build).toMatch(/vite build --config server\/vite\.config\.ts && tsx scripts\/buildDeploy\.ts$/);
  });

  it('holds the built server and tab, its package files and node_modules, and nothing else at its root', async () => {
    expect(entries).toContain('server/main.js');
    expect(entries).toContain('tab/index.html');
    expect(entries).toContain('tab/auth-end.html');
    expect([...new Set(entries.map((e) => e.split('/')[0]))].sort()).toEqual([
      'node_modules',
      'package-lock.json',
      'package.json',
      'server',
      'tab',
    ]);
  });

  it('ships no sources, source maps, dev tenant, tests, scripts, certificates or local secrets', () => {
    const own = entries.filter((e) => !e.startsWith('node_modules/'));
    expect(own.filter((e) => /\.(tsx?|map|pem|key|crt|pfx)$/.test(e))).toEqual([]);
    for (const folder of ['devtenant', '.devtenant', 'tests', 'bench', 'scripts', 'appPackage', 'shared', 'bot', 'env', 'infra']) {
      expect(
        own.filter((e) => e.split('/').includes(folder)),
        folder,
      ).toEqual([]);
    }
    expect(entries.filter((e) => /(^|\/)(\.env(\.[^/]*)?|\.localConfigs)$/.test(e))).toEqual([]);
  });

  it('lists as dependencies the root dependencies the server imports, none of the dev tenant, no devDependencies', async () => {
    const pkg = JSON.parse(await readFile(path.join(site, 'package.json'), 'utf8')) as DeployedPackageJson;
    expect(pkg).toMatchObject({ name: 'delegate-desk', type: 'module', scripts: { start: 'node server/main.js' } });
    expect(pkg.devDependencies).toBeUndefined();
    for (const devOnly of ['selfsigned', 'jpeg-js', 'adaptivecards', '@delegate-desk/devtenant'])
      expect(Object.keys(pkg.dependencies)).not.toContain(devOnly);

    const serverFiles = entries.filter((e) => /^server\/[^/]+\.js$/.test(e));
    expect(serverFiles).toContain('server/main.js');
    const imported = new Set<string>();
    for (const f of serverFiles) importedPackages(await readFile(path.join(site, f), 'utf8')).forEach((p) => imported.add(p));
    expect(imported.size).toBeGreaterThan(0);
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...imported].sort());
    for (const [name, range] of Object.entries(pkg.dependencies)) expect(range, name).toBe(rootPackage.dependencies[name]);
  });

  it('installs only the product: no package of the dev tenant in node_modules or the lockfile', async () => {
    const lock = JSON.parse(await readFile(path.join(site, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; link?: boolean }>;
    };
    const locations = Object.keys(lock.packages);
    expect(locations.filter((l) => /(^|\/)(devtenant|selfsigned|jpeg-js|@delegate-desk\/[^/]+)$/.test(l))).toEqual([]);
    expect(Object.entries(lock.packages).filter(([, e]) => e.dev || e.link)).toEqual([]);
    const pkg = JSON.parse(await readFile(path.join(site, 'package.json'), 'utf8')) as DeployedPackageJson;
    for (const name of Object.keys(pkg.dependencies)) expect(entries, name).toContain(`node_modules/${name}/package.json`);
    expect(entries.filter((e) => /(^|\/)node_modules\/(selfsigned|jpeg-js|@delegate-desk)\//.test(e))).toEqual([]);
  });

  it('runs from the unpacked zip alone, as App Service starts it', async () => {
    dt = await startTestTenant();
    const port = await freePort();
    const server = spawnTree(process.execPath, ['server/main.js'], {
      cwd: site,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
        PORT: String(port),
        AAD_APP_CLIENT_ID: dt.clientId,
        AAD_APP_CLIENT_SECRET: dt.clientSecret,
        AAD_APP_TENANT_ID: dt.tenantId,
        AAD_APP_OAUTH_AUTHORITY_HOST: dt.origin,
        GRAPH_BASE_URL: dt.origin,
        TAB_DOMAIN: 'localhost',
        BOT_ID: dt.clientId,
        BOT_PASSWORD: dt.clientSecret,
      },
    });
    processes.push(server);
    const output = await new Promise<string>((resolve) => {
      let text = '';
      const seen = (c: Buffer) => {
        text += c.toString();
        if (text.includes('Delegate Desk server on')) resolve(text);
      };
      server.child.stdout!.on('data', seen);
      server.child.stderr!.on('data', seen);
      void server.exited.then(({ code }) => resolve(`${text}\n(exited with ${code})`));
    });
    expect(output).toContain('Delegate Desk server on');
    const base = `http://localhost:${port}`;
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const tab = await fetch(`${base}/tab`);
    expect(tab.status).toBe(200);
    expect(await tab.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
    const view = await fetch(`${base}/api/delegation`, { headers: { Authorization: `Bearer ${await dt.ssoToken('ada')}` } });
    expect(view.status).toBe(200);
    // The bot endpoint (botbuilder, teams-ai) answers an unauthenticated activity with a 4xx, not a crash.
    const bot = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hi' }),
    });
    expect([400, 401]).toContain(bot.status);
  }, 60_000);
});

describe('writeDeployPackage', () => {
  const fixture = async (files: Record<string, string>) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dd-deploy-'));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    return dir;
  };

  it('maps static, re-exported, dynamic and required imports to their packages, leaving out built-ins and relative files', async () => {
    const out = await fixture({
      'server/main.js': [
        'import fs from "node:fs";',
        'import path from "path";',
        'import express, { Router } from "express";',
        'import "./chunk.js";',
        'export * from "zod/v4";',
        'const { decodeJwt } = await import("jose");',
        'import { createRequire } from "node:module";',
        'const require = createRequire(import.meta.url);',
        'const msal = require("@azure/msal-node");',
        'const express2 = createRequire(import.meta.url)("express");',
      ].join('\n'),
      'server/chunk.js':
        'export { ConfidentialClientApplication } from "@azure/msal-node";\nconst text = "import x from \\"left-pad\\"";\n',
    });
    try {
      const { packageJson, importedBy } = await writeDeployPackage(out);
      expect(Object.keys(packageJson.dependencies)).toEqual(['@azure/msal-node', 'express', 'jose', 'zod']);
      expect(importedBy.get('@azure/msal-node')).toEqual(['server/chunk.js', 'server/main.js']);
      const written = JSON.parse(await readFile(path.join(out, 'package.json'), 'utf8')) as DeployedPackageJson;
      expect(written.dependencies).toEqual({
        '@azure/msal-node': rootPackage.dependencies['@azure/msal-node'],
        express: rootPackage.dependencies.express,
        jose: rootPackage.dependencies.jose,
        zod: rootPackage.dependencies.zod,
      });
      const lock = JSON.parse(await readFile(path.join(out, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
      expect(lock.packages).toHaveProperty(['node_modules/express']);
      expect(lock.packages).not.toHaveProperty(['node_modules/botbuilder']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('fails the build, naming the import, when the server imports a package that is not a root dependency', async () => {
    const out = await fixture({
      'server/main.js': 'import leftPad from "left-pad";\nimport { describe } from "vitest";\nimport express from "express";\n',
    });
    try {
      const failure = writeDeployPackage(out);
      await expect(failure).rejects.toThrow(DeployPackageError);
      await expect(failure).rejects.toThrow(/server\/main\.js imports "left-pad", which is not a dependency of the root package\.json/);
      await expect(failure).rejects.toThrow(/"vitest", which is a devDependency of the root package\.json; .* move it to "dependencies"/);
      expect(existsSync(path.join(out, 'package.json'))).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('fails on an import() of a computed value, which it cannot map to a package', async () => {
    const out = await fixture({ 'server/main.js': 'const name = process.env.X;\nawait import(name);\n' });
    try {
      await expect(writeDeployPackage(out)).rejects.toThrow(/dynamic import\(\) of a computed value/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('fails when there is no built server', async () => {
    const out = await fixture({ 'tab/index.html': '<!doctype html>' });
    try {
      await expect(writeDeployPackage(out)).rejects.toThrow(/server\/main\.js is missing: run the server build first/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
