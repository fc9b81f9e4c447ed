/**
 * The tab bench's peer for size and render: a minimal Fluent UI v9 + teams-js page (a provider, a card,
 * a text and a button; teams-js initialised at once), built with vite in a temporary directory, and a
 * static server for it on loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';

export const MINIMAL_TEXT = 'Minimal Fluent page';

const MAIN = `import { app } from '@microsoft/teams-js';
import { createRoot } from 'react-dom/client';
import { FluentProvider, webLightTheme, Card, Text, Button } from '@fluentui/react-components';

void app.initialize().then(() => app.notifySuccess());
createRoot(document.getElementById('root')!).render(
  <FluentProvider theme={webLightTheme}>
    <Card><Text>${MINIMAL_TEXT}</Text><Button appearance="primary">Call</Button></Card>
  </FluentProvider>,
);
`;
const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>minimal</title></head>
<body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>`;

export interface MinimalPage {
  dir: string;
  origin: string;
  close(): Promise<void>;
}

export async function buildMinimalPage(): Promise<MinimalPage> {
  const src = await mkdtemp(path.join(tmpdir(), 'dd-minimal-'));
  // The page resolves its packages from this repository's node_modules.
  await symlink(path.resolve('node_modules'), path.join(src, 'node_modules'), 'dir');
  await writeFile(path.join(src, 'main.tsx'), MAIN);
  await writeFile(path.join(src, 'index.html'), HTML);
  const dir = path.join(src, 'dist');
  await build({ root: src, configFile: false, logLevel: 'silent', plugins: [react()], build: { outDir: dir, emptyOutDir: true } });
  const server = http.createServer(async (req, res) => {
    const rel = (req.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir)) return void res.writeHead(404).end();
    try {
      const body = await readFile(file);
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
      // As the product serves hashed assets: cached for good; the page itself revalidated.
      const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      res.writeHead(200, { 'content-type': type, 'cache-control': cache }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    dir,
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await rm(src, { recursive: true, force: true });
    },
  };
}
