/**
 * What the test run printed must hold no credential: no JWT, no secret of the dev tenant or the test
 * seed, no password or client secret in a form body. Each finding is a failure, shown redacted.
 */
const PATTERNS: Array<[name: string, re: RegExp]> = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{0,}/g],
  ['a client secret in a request', /client_secret=[^&\s"']{4,}/g],
  ['a password in a request', /password=(?!\*)[^&\s"']{4,}/g],
  ['a private key', /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/g],
];

/** The dev tenant's and the test seed's own secrets, by value (they would show in no other form). */
const SECRETS = ['dev-only-secret-not-for-production', 'DelegateDesk!2026', 'test-secret-value', 'test-password'];

export interface Finding {
  what: string;
  line: string;
}

/** The line with every credential in it cut to a few characters. */
function redact(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const [, re] of PATTERNS) out = out.replace(re, (m) => `${m.slice(0, 6)}…[redacted]`);
  for (const s of secrets) out = out.replaceAll(s, '[redacted]');
  return out;
}

export function scanLog(text: string, secrets: readonly string[] = SECRETS): Finding[] {
  const findings: Finding[] = [];
  for (const line of text.split('\n')) {
    const found = [
      ...PATTERNS.filter(([, re]) => new RegExp(re.source).test(line)).map(([what]) => what),
      ...(secrets.some((s) => line.includes(s)) ? ['a known secret'] : []),
    ];
    for (const what of found) findings.push({ what, line: redact(line, secrets) });
  }
  return findings;
}
