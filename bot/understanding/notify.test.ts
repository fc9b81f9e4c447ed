import { describe, expect, it } from 'vitest';
import type { Command } from './command';
import { parseByRules, parseCommand } from './parseCommand';
import { phraseFor } from './understand';
import { conditionIn, watchDetails, watchMinutesIn } from './watching';

const person = (name: string) => ({ kind: 'person' as const, name });

describe('notify, listWatches, cancelWatch: the exact rules', () => {
  it.each<[string, Command]>([
    ['let me know when Alex is free', { intent: 'notify', target: person('Alex'), condition: 'free' }],
    ['notify me when my delegate is back', { intent: 'notify', target: { kind: 'myDelegate' }, condition: 'back' }],
    ['ping me once Megan is out of her meeting', { intent: 'notify', target: person('Megan'), condition: 'free' }],
    ["tell me when Lee's available for the next hour", { intent: 'notify', target: person('Lee'), condition: 'free', durationMinutes: 60 }],
    [
      "Tell me when Lee's available for the next hour, or tell me if not",
      { intent: 'notify', target: person('Lee'), condition: 'free', durationMinutes: 60, reportExpiry: true },
    ],
    ['ping me as soon as my boss is off the phone', { intent: 'notify', target: { kind: 'myDelegator' }, condition: 'free' }],
    ['lmk when adele frees up', { intent: 'notify', target: person('adele'), condition: 'free' }],
    ['text me when Megan Bowen gets back', { intent: 'notify', target: person('Megan Bowen'), condition: 'back' }],
    [
      'keep an eye on Grady and tell me when he is free in the next 30 mins',
      { intent: 'notify', target: person('Grady'), condition: 'free', durationMinutes: 30 },
    ],
    ['what am I waiting for', { intent: 'listWatches' }],
    ['who am I watching?', { intent: 'listWatches' }],
    ['show my alerts', { intent: 'listWatches' }],
    ['stop notifying me', { intent: 'cancelWatch' }],
    ['Stop notifying me about Alex!', { intent: 'cancelWatch', name: 'Alex' }],
    ['cancel the alert for Megan', { intent: 'cancelWatch', name: 'Megan' }],
    ['stop watching Lee Gu', { intent: 'cancelWatch', name: 'Lee Gu' }],
  ])('%j', (message, expected) => expect(parseByRules(message)).toEqual(expected));

  it('leaves to other intents what only sounds like a watch', () => {
    expect(parseCommand('tell me when someone is free to take my calls')).toEqual({ intent: 'whoCanTakeMyCall' });
    expect(parseByRules('is Megan free')).toEqual({ intent: 'presence', name: 'Megan' });
    expect(parseByRules('who am I a delegate for')).toEqual({ intent: 'myDelegators' });
    // Several people are not one watch: no rule builds one.
    expect(parseByRules('let me know when Alex and Lee are free')?.intent).not.toBe('notify');
  });

  it('gives each reading a button phrasing the rules parse back to the same command', () => {
    const commands: Command[] = [
      { intent: 'notify', target: person('Megan'), condition: 'back', durationMinutes: 90, reportExpiry: true },
      { intent: 'notify', target: { kind: 'myDelegator' }, condition: 'free' },
      { intent: 'listWatches' },
      { intent: 'cancelWatch', name: 'Alex' },
      { intent: 'cancelWatch' },
    ];
    for (const c of commands) expect(parseByRules(phraseFor(c)!), phraseFor(c)).toEqual(c);
  });
});

describe('watch details', () => {
  it('reads how long to watch', () => {
    expect(watchMinutesIn('for the next hour')).toBe(60);
    expect(watchMinutesIn('in the next 2 hours')).toBe(120);
    expect(watchMinutesIn('within 45 mins')).toBe(45);
    expect(watchMinutesIn('over the next half hour')).toBe(30);
    expect(watchMinutesIn('is free')).toBeUndefined();
    expect(watchMinutesIn('for the next 0 minutes')).toBeUndefined();
  });

  it('waits for "back" only when the words say so', () => {
    expect(conditionIn('is back')).toBe('back');
    expect(conditionIn('returns')).toBe('back');
    expect(conditionIn('is in')).toBe('back');
    expect(conditionIn('is in a meeting')).toBe('free');
    expect(conditionIn('is out of her meeting')).toBe('free');
    expect(watchDetails('is free or let me know if not')).toEqual({ condition: 'free', reportExpiry: true });
  });
});

describe('the classifier, for watches no rule says exactly', () => {
  it.each<[string, Command]>([
    ['could u give me a ping when nestor is done', { intent: 'notify', target: person('nestor'), condition: 'free' }],
    ['who do you have me watching', { intent: 'listWatches' }],
    ['dont need those alerts anymore', { intent: 'cancelWatch' }],
    ['no longer need to know about Megan', { intent: 'cancelWatch', name: 'Megan' }],
  ])('%j', (message, expected) => expect(parseCommand(message)).toEqual(expected));
});
