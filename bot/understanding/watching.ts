/**
 * What a "tell me when …" request says besides whom: the condition (free, or back at their desk), how long
 * to watch, and whether to say so when the watch ends unfired. Shared by the exact rules and the classifier.
 */
import type { WatchCondition } from '../../shared/api';

/** "is back", "comes back", "returns", "is online again", "at her desk": back at the desk, not necessarily free. */
const BACK = /\b(?:back|returns?|returned|online|at (?:her|his|their) desk|in the office)\b|\b(?:is|s|gets|comes) in$/;

export const conditionIn = (text: string): WatchCondition => (BACK.test(text) ? 'back' : 'free');

const NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  ten: 10,
  twenty: 20,
  thirty: 30,
};
const COUNT = 'half an?|half|an?|one|two|three|four|five|six|ten|twenty|thirty|\\d+';
const UNIT = 'hours?|hrs?|h|minutes?|mins?|min|m';

/** "for the next hour", "in the next 30 mins", "within 2 hours", "over the next half hour" (no groups: rules embed it). */
export const DURATION_PHRASE = `(?:for|in|within|during|over)(?: the)?(?: next)? (?:(?:${COUNT}) ?)?(?:${UNIT})(?: or so)?`;
const DURATION = new RegExp(`\\b(?:for|in|within|during|over)(?: the)?(?: next)? (?:(${COUNT}) ?)?(${UNIT})\\b`);

export function watchMinutesIn(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const raw = m[1] ?? 'a';
  const n = raw.startsWith('half') ? 0.5 : (NUMBERS[raw] ?? Number(raw));
  const minutes = Math.round(n * (m[2]!.startsWith('h') ? 60 : 1));
  return minutes > 0 ? minutes : undefined;
}

/** "… or tell me if not", "and let me know if she isn't", "either way" (no groups: rules embed it). */
export const EXPIRY_PHRASE =
  '(?:(?:or|and|otherwise|else) (?:tell|let|ping|notify|message|msg) me (?:know )?(?:if (?:not|(?:she|he|they|it)s? (?:isnt|arent|doesnt|dont|wont|is not|does not|never)\\b.*)|either way|otherwise)|(?:or|and) if not(?: tell me| let me know)?|either way|if not (?:tell|let) me(?: know)?)';
const EXPIRY = new RegExp(`\\b${EXPIRY_PHRASE}`);

export const reportsExpiry = (text: string): boolean => EXPIRY.test(text);

/** The watch details as Command fields: condition always, the rest only when asked. */
export function watchDetails(text: string): { condition: WatchCondition; durationMinutes?: number; reportExpiry?: boolean } {
  const minutes = watchMinutesIn(text);
  return {
    condition: conditionIn(text.replace(EXPIRY, '').replace(DURATION, '').trim()),
    ...(minutes ? { durationMinutes: minutes } : {}),
    ...(reportsExpiry(text) ? { reportExpiry: true } : {}),
  };
}
