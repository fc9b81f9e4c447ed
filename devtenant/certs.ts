import { mkdir, readFile, writeFile, access, rename, rmdir, stat } from 'node:fs/promises';
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
  /**
   * The product's certificate for rich change notifications (Graph encrypts presence with its public
   * key), for local development; a real deployment brings its own (NOTIFICATION_CERT_PATH / _KEY_PATH).
   */
  notificationCertPath: string;
  notificationKeyPath: string;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** Writes via a temporary file and a rename, so a reader never sees half a file. */
async function writeAtomic(file: string, data: string, mode = 0o644): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}

/**
 * Several processes (npm start, parallel test runs) may start at once on a fresh clone: a lock
 * directory (mkdir is atomic) makes one of them generate while the others wait and then read.
 */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, '.lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > 30_000 || Date.now() > deadline) {
        await rmdir(lock).catch(() => {});
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}

function signedBy(leafPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(leafPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}

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
  return withLock(dir, async () => ({
    ...(await loadOrCreate(caPath, caKeyPath, certPath, keyPath)),
    ...(await notificationCertificate(dir)),
  }));
}

/** Self-signed RSA 2048 (Graph takes 2048–4096 bits, self-signed allowed), kept for a year. */
async function notificationCertificate(dir: string): Promise<Pick<DevCertificates, 'notificationCertPath' | 'notificationKeyPath'>> {
  const notificationCertPath = path.join(dir, 'notifications.pem');
  const notificationKeyPath = path.join(dir, 'notifications-key.pem');
  const cert = (await exists(notificationCertPath)) ? await readFile(notificationCertPath, 'utf8') : '';
  if (!cert || !(await exists(notificationKeyPath)) || !stillValid(cert)) {
    const pems = await generate([{ name: 'commonName', value: 'Delegate Desk notifications (local development)' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 365 * 86_400_000),
      algorithm: 'sha256',
    });
    await writeAtomic(notificationKeyPath, pems.private, 0o600);
    await writeAtomic(notificationCertPath, pems.cert);
  }
  return { notificationCertPath, notificationKeyPath };
}

async function loadOrCreate(
  caPath: string,
  caKeyPath: string,
  certPath: string,
  keyPath: string,
): Promise<Omit<DevCertificates, 'notificationCertPath' | 'notificationKeyPath'>> {
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
    await writeAtomic(caKeyPath, caKey, 0o600);
    await writeAtomic(caPath, caCert);
    renewLeaf = true;
  }

  let cert = (await exists(certPath)) ? await readFile(certPath, 'utf8') : '';
  let key = (await exists(keyPath)) ? await readFile(keyPath, 'utf8') : '';
  if (renewLeaf || !cert || !key || !stillValid(cert) || !signedBy(cert, caCert)) {
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
    await writeAtomic(keyPath, key, 0o600);
    await writeAtomic(certPath, cert);
  }
  return { caPath, certPath, keyPath, cert, key };
}
