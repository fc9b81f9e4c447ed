import { describe, expect, it } from 'vitest';
import { readFile, access, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { parse as parseYaml } from 'yaml';
import { parse as parseDotenv } from 'dotenv';
import { appPackageDir, buildManifest, packageApp, placeholders, repoRoot, validateManifest, substitute } from './package';
import { mainCommands } from '../bot/answers/commands';
import { parseCommand } from '../bot/understanding/parseCommand';

const read = (p: string) => readFile(path.join(repoRoot, p), 'utf8');
const exists = (p: string) =>
  access(path.join(repoRoot, p)).then(
    () => true,
    () => false,
  );

describe('manifest', () => {
  it.each(['dev', 'local'])('validates against the bundled schema once substituted (%s)', async (env) => {
    const manifest = await buildManifest(env);
    expect(await validateManifest(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe('1.30');
  });

  it('is really checked: a broken manifest fails validation', async () => {
    const manifest = await buildManifest('dev');
    const broken = { ...manifest, accentColor: 'purple', staticTabs: [{ entityId: 'x' }] };
    const errors = await validateManifest(broken);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('ties the tab, the bot and SSO to one Entra app and one domain', async () => {
    const template = JSON.parse(await read('appPackage/manifest.json'));
    expect(template.id).toBe('${{TEAMS_APP_ID}}');
    expect(template.webApplicationInfo).toEqual({ id: '${{AAD_APP_CLIENT_ID}}', resource: 'api://${{TAB_DOMAIN}}/botid-${{BOT_ID}}' });
    expect(template.validDomains).toEqual(['${{TAB_DOMAIN}}']);
    expect(template.staticTabs[0].contentUrl.startsWith('${{TAB_ENDPOINT}}/')).toBe(true);
    expect(template.bots[0].scopes).toEqual(['personal']);
  });

  it('lists the main commands, and the bot understands each of them', async () => {
    const manifest = await buildManifest('dev');
    const commands = (manifest.bots as Array<{ commandLists: Array<{ commands: Array<{ title: string; description: string }> }> }>)[0]!
      .commandLists[0]!.commands;
    expect(commands).toEqual(mainCommands);
    for (const c of commands) {
      const parsed = parseCommand(c.title);
      expect(parsed.intent === 'help' && parsed.reason === 'notUnderstood', `"${c.title}" is not understood`).toBe(false);
    }
  });

  it('names a variable that no environment defines', () => {
    expect(() => substitute('${{NOPE}}', {})).toThrow(/NOPE/);
  });
});

describe('icons', () => {
  it('has a 192×192 colour icon and a 32×32 white-on-transparent outline', async () => {
    const color = PNG.sync.read(await readFile(path.join(appPackageDir, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(await readFile(path.join(appPackageDir, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i]!, outline.data[i + 1]!, outline.data[i + 2]!, outline.data[i + 3]!];
      if (a === 0) transparent++;
      else expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(0);
  });
});

describe('npm run package', () => {
  it('writes a zip with exactly the manifest and the two icons', async () => {
    const out = await packageApp('dev', path.join(tmpdir(), `dd-pkg-${process.pid}`));
    const zip = await JSZip.loadAsync(await readFile(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });
});

describe('layout', () => {
  it('has the files a Teams app project needs, and no m365agents.yml', async () => {
    for (const f of [
      'appPackage/manifest.json',
      'appPackage/color.png',
      'appPackage/outline.png',
      'appPackage/aad.manifest.json',
      'teamsapp.yml',
      'teamsapp.local.yml',
      'env/.env.dev',
      'env/.env.local',
    ]) {
      expect(await exists(f), f).toBe(true);
    }
    expect(await exists('m365agents.yml')).toBe(false);
    expect(await exists('m365agents.local.yml')).toBe(false);
  });

  it('keeps secrets out of committed env files', async () => {
    const files = (await readdir(path.join(repoRoot, 'env'))).filter((f) => /^\.env\.[^.]+$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const values = parseDotenv(await read(`env/${f}`));
      for (const [k, v] of Object.entries(values)) {
        if (/SECRET|PASSWORD|KEY$/i.test(k)) expect(v, `${f}: ${k}`).toBe('');
      }
    }
    expect(await read('.gitignore')).toContain('env/.env.*.user');
    // Files that hold secrets locally never go into the package deployed to App Service either: only dist/
    // is deployed (the secret files live at the root), and its ignore file leaves them out should they be copied in.
    const zipDeploy = (
      parseYaml(await read('teamsapp.yml')) as { deploy: Array<{ uses: string; with: Record<string, string> }> }
    ).deploy.find((a) => a.uses === 'azureAppService/zipDeploy')!;
    expect(zipDeploy.with.artifactFolder).toBe('dist');
    const deployIgnored = (await read(zipDeploy.with.ignoreFile!)).split('\n').map((l) => l.trim());
    for (const secretFile of ['.localConfigs', '.env', '.env.*']) expect(deployIgnored, secretFile).toContain(secretFile);
  });

  it('runs the lifecycle actions a provision needs', async () => {
    for (const file of ['teamsapp.yml', 'teamsapp.local.yml']) {
      const doc = parseYaml(await read(file)) as { version: string; provision: Array<{ uses: string }> };
      const uses = doc.provision.map((a) => a.uses);
      for (const action of [
        'aadApp/create',
        'aadApp/update',
        'teamsApp/create',
        'botFramework/create',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/update',
      ]) {
        expect(uses, `${file} ${action}`).toContain(action);
      }
    }
    const doc = parseYaml(await read('teamsapp.yml')) as { deploy: Array<{ uses: string }>; publish: Array<{ uses: string }> };
    expect(doc.deploy.map((a) => a.uses)).toContain('azureAppService/zipDeploy');
    expect(doc.publish.map((a) => a.uses)).toContain('teamsApp/publishAppPackage');
  });

  it('defines every ${{VAR}} the manifests use, in the env files or by a provision step', async () => {
    const yml = parseYaml(await read('teamsapp.yml')) as {
      provision: Array<{ writeToEnvironmentFile?: Record<string, string>; with?: { run?: string } }>;
    };
    const produced = new Set<string>(['AAD_APP_ACCESS_AS_USER_PERMISSION_ID']); // aadApp/update fills this in
    for (const step of yml.provision) {
      for (const v of Object.values(step.writeToEnvironmentFile ?? {})) produced.add(v);
      for (const m of (step.with?.run ?? '').matchAll(/set-teamsfx-env ([A-Z0-9_]+)=/g)) produced.add(m[1]!);
    }
    produced.add('BOT_AZURE_APP_SERVICE_RESOURCE_ID');
    for (const env of ['dev', 'local']) {
      const defined = new Set([...Object.keys(parseDotenv(await read(`env/.env.${env}`))), ...produced]);
      for (const file of ['appPackage/manifest.json', 'appPackage/aad.manifest.json']) {
        for (const v of placeholders(await read(file))) expect(defined.has(v), `${env}: ${file} uses ${v}`).toBe(true);
      }
    }
  });
});
