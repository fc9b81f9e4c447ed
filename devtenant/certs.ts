import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';

/** Where the dev tenant keeps what it generates (git-ignored). */
export const defaultStateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.devtenant');

export interface DevCertificates {
  /** PEM of the local certificate authority; point NODE_EXTRA_CA_CERTS at it. */
  caPath: string;
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

const exists = (p: string) => access(p).then(() => true, () => false);

function stillValid(pem: string, minDaysLeft = 7): boolean {
  try {
    return new Date(new X509Certificate(pem).validTo).getTime() - Date.now() > minDaysLeft * 86_400_000;
  } catch {
    return false;
  }
}

/**
 * A local CA plus a server certificate for localhost/127.0.0.1 signed by it, created on first use.
 * Trusting the CA (not the leaf) lets the leaf be re-issued without re-trusting anything.
 */
export async function ensureDevCertificates(stateDir = process.env.DEVTENANT_STATE_DIR || defaultStateDir): Promise<DevCertificates> {
  const dir = path.join(stateDir, 'certs');
  const caPath = path.join(dir, 'ca.pem');
  const caKeyPath = path.join(dir, 'ca-key.pem');
  const certPath = path.join(dir, 'server.pem');
  const keyPath = path.join(dir, 'server-key.pem');
  await mkdir(dir, { recursive: true });

  let caCert = (await exists(caPath)) ? await readFile(caPath, 'utf8') : '';
  let caKey = (await exists(caKeyPath)) ? await readFile(caKeyPath, 'utf8') : '';
  let renewLeaf = false;
  if (!caCert || !caKey || !stillValid(caCert, 30)) {
    const ca = await generate([{ name: 'commonName', value: 'Delegate Desk dev tenant CA' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 3650 * 86_400_000),
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    caCert = ca.cert;
    caKey = ca.private;
    await writeFile(caPath, caCert);
    await writeFile(caKeyPath, caKey, { mode: 0o600 });
    renewLeaf = true;
  }

  let cert = (await exists(certPath)) ? await readFile(certPath, 'utf8') : '';
  let key = (await exists(keyPath)) ? await readFile(keyPath, 'utf8') : '';
  if (renewLeaf || !cert || !key || !stillValid(cert)) {
    const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 397 * 86_400_000),
      algorithm: 'sha256',
      ca: { key: caKey, cert: caCert },
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    });
    cert = leaf.cert;
    key = leaf.private;
    await writeFile(certPath, cert);
    await writeFile(keyPath, key, { mode: 0o600 });
  }
  return { caPath, certPath, keyPath, cert, key };
}
