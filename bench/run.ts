/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process (with the dev CA trusted)
 * and prints their figures. Pass names to run a subset: `npm run bench -- devtenant`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDevCertificates } from '../devtenant/certs';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const certs = await ensureDevCertificates();
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.caPath, DEVTENANT_QUIET: '1' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
