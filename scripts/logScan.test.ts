import { describe, expect, it } from 'vitest';
import { scanLog } from './logScan';

describe('log scan', () => {
  it('finds JWTs, secrets, passwords and keys, and shows them redacted', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXBhcnQ';
    const findings = scanLog(
      `ok line\n[server] token ${jwt}\nbody grant_type=password&password=hunter22&client_secret=abcdef\n-----BEGIN PRIVATE KEY-----\nuses test-secret-value`,
    );
    expect(findings.map((f) => f.what)).toEqual([
      'a JWT',
      'a client secret in a request',
      'a password in a request',
      'a private key',
      'a known secret',
    ]);
    expect(findings.map((f) => f.line).join('\n')).not.toContain('hunter22');
    expect(findings[0]!.line).not.toContain(jwt);
  });

  it('leaves ordinary output alone', () => {
    expect(
      scanLog('✓ refuses alg none on every route\n[chaos] {"data":41}\ngrant_type=password (redacted)\nrequest 6f1c2e0a: forbidden'),
    ).toEqual([]);
  });
});
