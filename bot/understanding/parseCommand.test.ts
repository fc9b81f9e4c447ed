import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from './parseCommand';
import { correct, fold, tokenize } from './text';

const delegates: Command = { intent: 'myDelegates' };
const delegators: Command = { intent: 'myDelegators' };
const whoNow: Command = { intent: 'whoCanTakeMyCall' };
const presence = (name: string): Command => ({ intent: 'presence', name });
const callDelegate = (video = false): Command => ({ intent: 'call', target: { kind: 'myDelegate' }, video });
const callPerson = (name: string, video = false): Command => ({ intent: 'call', target: { kind: 'person', name }, video });
const meet = (name?: string): Command => ({ intent: 'meetNow', target: name ? { kind: 'person', name } : { kind: 'myDelegates' } });
const help = (reason: 'asked' | 'greeting' | 'thanks' | 'notUnderstood'): Command => ({ intent: 'help', reason });

const table: Array<[string, Command]> = [
  // my delegates
  ['who is my delegate', delegates],
  ['Who is my delegate?', delegates],
  ['who are my delegates', delegates],
  ['WHO ARE MY DELEGATES??', delegates],
  ['who handles my calls', delegates],
  ['Who answers my calls?', delegates],
  ['my delegates', delegates],
  ['show my delegates please', delegates],
  ['list my delegates', delegates],
  ['delegates', delegates],
  ['who is my delgate', delegates],
  ['who are my deleagtes', delegates],
  ['do I have a delegate?', delegates],
  ['who’s my assistant', delegates],
  ['<at>Delegate Desk</at> who is my delegate', delegates],
  // my delegators
  ['who am I a delegate for', delegators],
  ['Who am I a delegate for?', delegators],
  ['who am i delegate for', delegators],
  ['my delegators', delegators],
  ['whose calls can I take', delegators],
  ['Whose calls can I answer?', delegators],
  ['who do I cover for', delegators],
  ['who am i a deleagte for', delegators],
  ['show my managers', delegators],
  // who can take my call now
  ['who can take my call now', whoNow],
  ['Who can take my call now?', whoNow],
  ['who can take my calls', whoNow],
  ['who can answer my call right now', whoNow],
  ['is anyone available to take my calls', whoNow],
  ['who is free to take my call', whoNow],
  // presence
  ['is Megan available', presence('Megan')],
  ['Is Megan available?', presence('Megan')],
  ['is megan avaliable', presence('megan')],
  ['is Megan Bowen free', presence('Megan Bowen')],
  ['where is Alex', presence('Alex')],
  ["where's Lee Gu?", presence('Lee Gu')],
  ["Megan's status", presence('Megan')],
  ['Renée Lefèvre status', presence('Renée Lefèvre')],
  ['is Zoë in a meeting', presence('Zoë')],
  ['is José Muñoz online?', presence('José Muñoz')],
  ['status of Jürgen', presence('Jürgen')],
  ["what's Adele's status", presence('Adele')],
  ['is megan.bowen@contoso.onmicrosoft.com available', presence('megan.bowen@contoso.onmicrosoft.com')],
  ['can I reach Patti now', presence('Patti')],
  ['IS NESTOR BUSY', presence('NESTOR')],
  // calls
  ['call my delegate', callDelegate()],
  ['Call my delegate', callDelegate()],
  ['call my delgate please', callDelegate()],
  ['start a call with my delegate', callDelegate()],
  ['video call my delegate', callDelegate(true)],
  ['start a call with Megan', callPerson('Megan')],
  ['call Alex Wilber', callPerson('Alex Wilber')],
  // Names whose letters also occur in the words before them.
  ['call Al', callPerson('Al')],
  ['dial Al', callPerson('Al')],
  ['availability of Ava', presence('Ava')],
  ['Call Renée!', callPerson('Renée')],
  ['start a video call with Lee', callPerson('Lee', true)],
  ['ring Patti', callPerson('Patti')],
  // meet now
  ['meet now with Megan', meet('Megan')],
  ['meet now with my delegates', meet()],
  ['set up a meeting with Alex Wilber', meet('Alex Wilber')],
  ['start a meeting with my delegates now', meet()],
  // status
  ['set my status to In the lab until 3', { intent: 'setStatus', message: 'In the lab until 3' }],
  ['set my status to "Back at 2pm"', { intent: 'setStatus', message: 'Back at 2pm' }],
  ['set my status to busy', { intent: 'setStatus', availability: 'Busy' }],
  ['where are my delegates?', delegates],
  ['Where is my assistant', delegates],
  ['set my status to Back at 3:30, call 555-1234', { intent: 'setStatus', message: 'Back at 3:30, call 555-1234' }],
  ['set my status to free for lunch', { intent: 'setStatus', message: 'free for lunch' }],
  ['set my status to busy for an hour', { intent: 'setStatus', availability: 'Busy', durationMinutes: 60 }],
  ["I'm busy for an hour", { intent: 'setStatus', availability: 'Busy', durationMinutes: 60 }],
  ['im busy for 30 minutes', { intent: 'setStatus', availability: 'Busy', durationMinutes: 30 }],
  ['set me to do not disturb', { intent: 'setStatus', availability: 'DoNotDisturb' }],
  ["I'm available", { intent: 'setStatus', availability: 'Available' }],
  ['I am away for 2 hours', { intent: 'setStatus', availability: 'Away', durationMinutes: 120 }],
  ['clear my status', { intent: 'clearStatus' }],
  ['Clear my status message please', { intent: 'clearStatus' }],
  ['reset my presence', { intent: 'clearStatus' }],
  // help and small talk
  ['help', help('asked')],
  ['Help!', help('asked')],
  ['what can you do?', help('asked')],
  ['hello', help('greeting')],
  ['Hi there', help('greeting')],
  ['good morning', help('greeting')],
  ['thanks', help('thanks')],
  ['Thank you so much!', help('thanks')],
  ['asdfgh qwerty', help('notUnderstood')],
  ['', help('notUnderstood')],
  ['🙂', help('notUnderstood')],
  ['what is the weather in Paris', help('asked')],
  ['order a pizza', help('notUnderstood')],
];

describe('parseCommand', () => {
  it('has a table of at least 60 phrasings', () => {
    expect(table.length).toBeGreaterThanOrEqual(60);
  });

  it.each(table)('%j', (message, expected) => {
    expect(parseCommand(message)).toEqual(expected);
  });

  it('never throws on odd input', () => {
    for (const s of ['\u0000', ' '.repeat(10_000), 'call', 'is  available', "'s status", 'call call call', 'x'.repeat(5000), '<at></at>']) {
      expect(() => parseCommand(s)).not.toThrow();
    }
  });
});

describe('text folding', () => {
  it('folds case and accents', () => {
    expect(fold('Renée Lefèvre Ångström Søren Łukasz Straße')).toBe('renee lefevre angstrom soren lukasz strasse');
  });
  it('keeps UPN characters and drops mentions and punctuation', () => {
    expect(tokenize('<at>Bot</at> is megan.bowen@contoso.com available?!')).toEqual(['is', 'megan.bowen@contoso.com', 'available']);
  });
  it('corrects small typos of keywords only', () => {
    expect(correct('delgate')).toBe('delegate');
    expect(correct('avaliable')).toBe('available');
    expect(correct('megan')).toBe('megan');
    expect(correct('bowen')).toBe('bowen');
  });
});
