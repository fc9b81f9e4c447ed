/** Chat fuzz inputs: words people type, hostile pieces (markdown, HTML, card JSON, templates), random code points. */

/** Text another user could put in their profile or status to smuggle a link, an image or a template in. */
export const HOSTILE = {
  link: '[Verify your account](https://evil.example/login)',
  angle: '<https://evil.example/a>',
  image: '![x](https://evil.example/pixel.png)',
  html: '<a href="https://evil.example">HR</a><img src=x onerror=alert(1)>',
  template: '${$root} ${1+1} {{name}}',
};

export const WORDS = [
  'who',
  'is',
  'my',
  'delegate',
  'call',
  'ben',
  'mallory',
  'available',
  'free',
  'status',
  'set',
  'meet',
  'now',
  'with',
  'help',
  'cleo',
  'ada',
  'brb',
  'dnd',
  'for',
  'an',
  'hour',
  'please',
  '?',
  '!!',
  'lol',
  'ur',
  'pls',
];
export const PIECES = [
  HOSTILE.link,
  HOSTILE.angle,
  HOSTILE.image,
  HOSTILE.html,
  HOSTILE.template,
  '**bold**',
  '`code`',
  '# heading',
  '> quote',
  '- list',
  '<at>Delegate Desk</at>',
  '{"type":"AdaptiveCard","body":[{"type":"Image","url":"https://evil.example"}]}',
  '<script>alert(1)</script>',
  '\u202eevil\u202c',
  'مرحبا من فضلك',
  'שלום',
  '👩‍💼📞🙏',
  '𝕳𝖊𝖑𝖑𝖔',
  'Ünïcödé',
  '\u0000',
  '\t\n\r',
  '%s%n',
  '../../etc/passwd',
  "'; DROP TABLE users; --",
  '${process.exit()}',
  '{{7*7}}',
  '\\',
  '"',
  'A'.repeat(300),
];

export function randomInput(random: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const kind = random();
  if (kind < 0.3) return Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(WORDS)).join(' ');
  if (kind < 0.6)
    return Array.from({ length: 1 + Math.floor(random() * 4) }, () => (random() < 0.5 ? pick(WORDS) : pick(PIECES))).join(' ');
  if (kind < 0.8)
    return `${pick(['is', 'call', 'where is', 'meet now with', 'set my status to', 'check'])} ${pick(PIECES)}${pick(['', '?', ' now', ' please'])}`;
  // Random code points, any plane.
  return Array.from({ length: 1 + Math.floor(random() * 40) }, () => String.fromCodePoint(Math.floor(random() * 0x2ffff) % 0x10ffff)).join(
    '',
  );
}
