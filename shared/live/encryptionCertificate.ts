/**
 * The certificate whose public key Graph encrypts rich presence notifications with, and the private
 * key that decrypts them (change-notifications-with-resource-data: RSA, 2048 to 4096 bits; an id of
 * our own choosing, up to 128 characters, names it in every notification).
 */
import { readFile } from 'node:fs/promises';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;

export interface EncryptionCertificate {
  /** The certificate as Graph wants it in a subscription's encryptionCertificate: base64 DER, no PEM armour. */
  certificateBase64Der: string;
  /** For encryptionCertificateId: the SHA-256 thumbprint, lower-case hex (64 characters), stable across restarts. */
  certificateId: string;
  /** PKCS#8 PEM of the private key; never log it. */
  privateKeyPem: string;
  /** SHA-1 thumbprint, upper-case hex: the form of encryptedContent.encryptionCertificateThumbprint. */
  thumbprint: string;
  /** When the certificate stops being valid (Graph is not documented to check it; renew anyway). */
  validTo: Date;
}

export type EncryptionCertificateProblem = 'unreadable' | 'badCertificate' | 'badPrivateKey' | 'notRsa' | 'keySize' | 'keyMismatch';

export class EncryptionCertificateError extends Error {
  constructor(
    readonly reason: EncryptionCertificateProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EncryptionCertificateError';
  }
}

const CERT_PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
// A combined file (certificate and key, as Key Vault exports PEM) is fine: take the key block alone.
const KEY_PEM = /-----BEGIN ((?:RSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/** Reads the certificate and private key PEM files (they may be one file) and checks them. */
export async function loadEncryptionCertificate(paths: { certificatePath: string; keyPath: string }): Promise<EncryptionCertificate> {
  const read = async (file: string, what: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new EncryptionCertificateError('unreadable', `The notification encryption ${what} could not be read from '${file}'.`, {
        cause: e,
      });
    }
  };
  const [certificatePem, privateKeyPem] = await Promise.all([
    read(paths.certificatePath, 'certificate'),
    read(paths.keyPath, 'private key'),
  ]);
  return encryptionCertificateFromPem({ certificatePem, privateKeyPem });
}

/** The same checks for PEM text already in memory (a secret store, a test). */
export function encryptionCertificateFromPem(pems: { certificatePem: string; privateKeyPem: string }): EncryptionCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(CERT_PEM.exec(pems.certificatePem)?.[0] ?? pems.certificatePem);
  } catch (e) {
    throw new EncryptionCertificateError('badCertificate', 'The notification encryption certificate is not a PEM X.509 certificate.', {
      cause: e,
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(KEY_PEM.exec(pems.privateKeyPem)?.[0] ?? pems.privateKeyPem);
  } catch (e) {
    // An encrypted key lands here too: the webhook has no passphrase to give.
    throw new EncryptionCertificateError(
      'badPrivateKey',
      'The notification encryption private key is not an unencrypted PEM private key.',
      { cause: e },
    );
  }
  const publicKey = cert.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa' || key.asymmetricKeyType !== 'rsa') {
    throw new EncryptionCertificateError(
      'notRsa',
      `The notification encryption certificate must hold an RSA key, not ${publicKey.asymmetricKeyType ?? 'an unknown type'}.`,
    );
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new EncryptionCertificateError(
      'keySize',
      `The notification encryption key has ${bits} bits; Graph accepts ${MIN_RSA_BITS} to ${MAX_RSA_BITS}.`,
    );
  }
  if (!cert.checkPrivateKey(key)) {
    throw new EncryptionCertificateError('keyMismatch', 'The notification encryption private key does not belong to the certificate.');
  }
  return {
    certificateBase64Der: cert.raw.toString('base64'),
    certificateId: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    thumbprint: cert.fingerprint.replace(/:/g, '').toUpperCase(),
    validTo: new Date(cert.validTo),
  };
}
