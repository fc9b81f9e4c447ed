/** The tenant's token signing keys, published at /{tenant}/discovery/v2.0/keys. */
import { exportJWK, generateKeyPair, SignJWT, jwtVerify, createLocalJWKSet, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { createHash, randomBytes } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  // Entra's kid is the base64url SHA-1 thumbprint of the signing certificate; a key thumbprint is close enough.
  const kid = createHash('sha1').update(`${jwk.n}.${jwk.e}`).update(randomBytes(4)).digest('base64url');
  return { kid, privateKey, publicJwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e } };
}

export class KeySet {
  private constructor(readonly keys: SigningKey[]) {}

  static async create(): Promise<KeySet> {
    return new KeySet([await createSigningKey()]);
  }

  /** A key set the tenant does not publish but whose key claims the given kid: for forging bad signatures in tests. */
  static async forged(kid: string): Promise<KeySet> {
    const key = await createSigningKey();
    return new KeySet([{ ...key, kid, publicJwk: { ...key.publicJwk, kid } }]);
  }

  get active(): SigningKey {
    return this.keys[0]!;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  async sign(payload: JWTPayload, header: Record<string, unknown> = {}, key: SigningKey = this.active): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, ...header }).sign(key.privateKey);
  }

  /** Verifies the signature only; callers check audience, issuer and times to give Entra's or Graph's own error. */
  async verifySignature(token: string): Promise<JWTPayload> {
    const jwks = createLocalJWKSet(this.jwks());
    const { payload } = await jwtVerify(token, jwks, { algorithms: ['RS256'], clockTolerance: Number.MAX_SAFE_INTEGER });
    return payload;
  }
}
