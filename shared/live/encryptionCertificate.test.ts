import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { EncryptionCertificateError, encryptionCertificateFromPem, loadEncryptionCertificate } from './encryptionCertificate';

let dir: string;
let rsa2048: Awaited<ReturnType<typeof generate>>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-live-cert-'));
  rsa2048 = await generate([{ name: 'commonName', value: 'Delegate Desk notifications' }], { keySize: 2048, algorithm: 'sha256' });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function files(name: string, cert: string, key: string) {
  const certificatePath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}-key.pem`);
  await writeFile(certificatePath, cert);
  await writeFile(keyPath, key);
  return { certificatePath, keyPath };
}

async function reasonOf(p: Promise<unknown> | (() => unknown)) {
  const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EncryptionCertificateError);
  // Nothing of a key may end up in a message that gets logged.
  expect((e as Error).message).not.toMatch(/BEGIN|PRIVATE KEY|MII/);
  return (e as EncryptionCertificateError).reason;
}

describe('loadEncryptionCertificate', () => {
  it('reads an RSA 2048 certificate and key into what a subscription and decryption need', async () => {
    const loaded = await loadEncryptionCertificate(await files('good', rsa2048.cert, rsa2048.private));
    const der = Buffer.from(loaded.certificateBase64Der, 'base64');
    expect(new X509Certificate(der).subject).toContain('Delegate Desk notifications');
    expect(loaded.certificateBase64Der).not.toMatch(/-----|\s/);
    expect(loaded.certificateId).toBe(createHash('sha256').update(der).digest('hex'));
    expect(loaded.certificateId.length).toBeLessThanOrEqual(128);
    expect(loaded.thumbprint).toBe(createHash('sha1').update(der).digest('hex').toUpperCase());
    expect(loaded.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(createPublicKey(loaded.privateKeyPem).export({ format: 'jwk' })).toEqual(
      new X509Certificate(der).publicKey.export({ format: 'jwk' }),
    );
    expect(loaded.validTo.getTime()).toBeGreaterThan(Date.now());
  });

  it('gives the same id every time (it names the certificate in subscriptions that outlive a restart)', async () => {
    const a = encryptionCertificateFromPem({ certificatePem: rsa2048.cert, privateKeyPem: rsa2048.private });
    const b = await loadEncryptionCertificate(await files('again', rsa2048.cert, rsa2048.private));
    expect(b.certificateId).toBe(a.certificateId);
  });

  it('accepts one file holding both the key and the certificate, in either order', async () => {
    const both = path.join(dir, 'both.pem');
    await writeFile(both, `${rsa2048.private}\n${rsa2048.cert}`);
    const loaded = await loadEncryptionCertificate({ certificatePath: both, keyPath: both });
    expect(loaded.thumbprint).toBe(new X509Certificate(rsa2048.cert).fingerprint.replace(/:/g, ''));
    await writeFile(both, `${rsa2048.cert}\n${rsa2048.private}`);
    expect((await loadEncryptionCertificate({ certificatePath: both, keyPath: both })).certificateId).toBe(loaded.certificateId);
  });

  it('accepts RSA 4096', async () => {
    const big = await generate([{ name: 'commonName', value: 'big' }], { keySize: 4096, algorithm: 'sha256' });
    expect(encryptionCertificateFromPem({ certificatePem: big.cert, privateKeyPem: big.private }).certificateId).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('refuses keys Graph refuses (under 2048 bits, not RSA) with a clear reason', async () => {
    const small = await generate([{ name: 'commonName', value: 'small' }], { keySize: 1024, algorithm: 'sha256' });
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: small.cert, privateKeyPem: small.private }))).toBe(
      'keySize',
    );
    const e = await Promise.resolve()
      .then(() => encryptionCertificateFromPem({ certificatePem: small.cert, privateKeyPem: small.private }))
      .catch((err: Error) => err);
    expect((e as Error).message).toMatch(/1024 bits.*2048 to 4096/);
    const ec = await generate([{ name: 'commonName', value: 'ec' }], { keyType: 'ec', algorithm: 'sha256' });
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: ec.cert, privateKeyPem: ec.private }))).toBe('notRsa');
  });

  it("refuses a key that is not the certificate's, an encrypted key, junk and missing files", async () => {
    const other = await generate([{ name: 'commonName', value: 'other' }], { keySize: 2048 });
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: rsa2048.cert, privateKeyPem: other.private }))).toBe(
      'keyMismatch',
    );
    const locked = await generate([{ name: 'commonName', value: 'locked' }], { keySize: 2048, passphrase: 'secret' });
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: locked.cert, privateKeyPem: locked.private }))).toBe(
      'badPrivateKey',
    );
    expect(
      await reasonOf(() => encryptionCertificateFromPem({ certificatePem: 'not a certificate', privateKeyPem: rsa2048.private })),
    ).toBe('badCertificate');
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: rsa2048.private, privateKeyPem: rsa2048.private }))).toBe(
      'badCertificate',
    );
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: rsa2048.cert, privateKeyPem: rsa2048.cert }))).toBe(
      'badPrivateKey',
    );
    expect(await reasonOf(() => encryptionCertificateFromPem({ certificatePem: rsa2048.cert, privateKeyPem: '' }))).toBe('badPrivateKey');
    expect(
      await reasonOf(
        loadEncryptionCertificate({ certificatePath: path.join(dir, 'absent.pem'), keyPath: path.join(dir, 'absent-key.pem') }),
      ),
    ).toBe('unreadable');
  });
});
