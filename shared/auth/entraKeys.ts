/** Entra ID's signing keys, one remote key set per tenant (jose caches them and refetches for an unknown kid). */
import { createRemoteJWKSet } from 'jose';

export type TenantKeys = (tid: string) => ReturnType<typeof createRemoteJWKSet>;

export function tenantKeySets(authorityHost: string): TenantKeys {
  const authority = authorityHost.replace(/\/+$/, '');
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  return (tid) => {
    let ks = keySets.get(tid);
    if (!ks) {
      ks = createRemoteJWKSet(new URL(`${authority}/${tid}/discovery/v2.0/keys`), {
        cooldownDuration: 30_000,
        cacheMaxAge: 24 * 3_600_000,
      });
      keySets.set(tid, ks);
    }
    return ks;
  };
}

export const v1Issuer = (tid: string) => `https://sts.windows.net/${tid}/`;
export const v2Issuer = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;
