/** `npm run package -- --env <name>`: writes appPackage/build/appPackage.<name>.zip. */
import path from 'node:path';
import { packageApp, repoRoot } from '../appPackage/package';

const i = process.argv.indexOf('--env');
const envName = i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--env='))?.slice(6);
if (!envName) {
  console.error('Usage: npm run package -- --env <name>   (reads env/.env.<name>)');
  process.exit(2);
}
try {
  const out = await packageApp(envName);
  console.log(`Teams app package written: ${path.relative(repoRoot, out)}`);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
