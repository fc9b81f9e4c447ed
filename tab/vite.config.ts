import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '..', 'dist', 'tab'),
    emptyOutDir: true,
    rollupOptions: { input: { index: path.resolve(root, 'index.html'), 'auth-end': path.resolve(root, 'auth-end.html') } },
  },
});
