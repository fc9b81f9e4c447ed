import { defineConfig } from 'vitest/config';
import { ensureDevCertificates } from './devtenant/certs.ts';

// Test workers are forked after this file is evaluated, so the dev CA set here is trusted by every
// worker's TLS stack (NODE_EXTRA_CA_CERTS is only read when a Node process starts).
const certs = await ensureDevCertificates();
process.env.NODE_EXTRA_CA_CERTS = certs.caPath;

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', 'scratch/**'],
    pool: 'forks',
    // Fails the run if a process a test started is still alive at its end (see tests/support/processCheck.ts).
    globalSetup: ['tests/support/processCheck.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
