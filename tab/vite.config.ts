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
    rolldownOptions: {
      input: { index: path.resolve(root, 'index.html'), 'auth-end': path.resolve(root, 'auth-end.html') },
      // Libraries change far less often than our code: their own chunks stay cached across our deploys.
      // The first paint's libraries only ($initial): a group catching every library would pull what the
      // page loads later (its components, the dialog, the dark themes) into the first paint.
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            { name: 'teams-js', test: /node_modules[\\/]@microsoft[\\/]teams-js[\\/]/, priority: 2 },
            { name: 'fluent', test: /node_modules[\\/]/, tags: ['$initial'], priority: 1 },
          ],
        },
      },
    },
  },
});
