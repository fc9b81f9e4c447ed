/**
 * The last step of `npm run build`, after the vite builds of the tab and the server: makes dist/ a
 * deployable package (dist/package.json and dist/package-lock.json with the server's run-time
 * dependencies only; see deployPackage.ts). `tsx scripts/buildDeploy.ts [out dir]`, default dist.
 */
import path from 'node:path';
import { DeployPackageError, repoRoot, writeDeployPackage } from './deployPackage';

const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'dist'));
try {
  const { packageJson, lockfile } = await writeDeployPackage(outDir);
  const names = Object.keys(packageJson.dependencies);
  const installed = Object.keys(lockfile.packages).length - 1;
  console.log(
    `${path.relative(process.cwd(), path.join(outDir, 'package.json')) || 'package.json'}: ${names.length} dependencies (${names.join(', ')}), ${installed} packages locked.`,
  );
} catch (e) {
  if (!(e instanceof DeployPackageError)) throw e;
  console.error(`The deployable package was not written. ${e.message}`);
  process.exit(1);
}
