/**
 * The product server as plain JavaScript for production (`npm run build` → dist/server/main.js): App
 * Service runs it with node alone, so no TypeScript loader and no platform-specific binary has to match
 * the machine the package was built on. Dependencies stay in node_modules (SSR build externals).
 */
import { defineConfig } from 'vite';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  build: {
    ssr: path.resolve(root, 'server', 'main.ts'),
    outDir: path.resolve(root, 'dist', 'server'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rolldownOptions: { output: { format: 'esm', entryFileNames: 'main.js' } },
  },
});
