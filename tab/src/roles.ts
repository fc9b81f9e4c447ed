/**
 * How the tab arranges a view for the person looking at it: which list leads (their role), a stable
 * order of cards, and the sentences that depend on which side of a delegation they are on.
 */
import type { DelegationEntry, DelegationView } from '../../shared/domain/delegationView';
import type { Permission } from '../../shared/domain/permissions';

/** The two lists a person may use; the one they use leads. */
export type ListName = 'delegators' | 'delegates';

/** executive: has delegates only; assistant: serves others only; both; neither. */
export type Role = 'executive' | 'assistant' | 'both' | 'none';

export function roleOf(view: Pick<DelegationView, 'delegates' | 'delegators'>): Role {
  const has = { delegates: view.delegates.length > 0, delegators: view.delegators.length > 0 };
  if (has.delegates && has.delegators) return 'both';
  if (has.delegators) return 'assistant';
  if (has.delegates) return 'executive';
  return 'none';
}

const LEAD_KEY = 'delegatedesk.lead';

/** The list a person with both roles used last (remembered in this browser), delegators by default. */
export function rememberedLead(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): ListName {
  try {
    return storage?.getItem(LEAD_KEY) === 'delegates' ? 'delegates' : 'delegators';
  } catch {
    return 'delegators'; // storage refused (privacy settings): no memory, no failure
  }
}

export function rememberLead(list: ListName, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(LEAD_KEY, list);
  } catch {
    // nothing to remember it in
  }
}

/** Lists in the order they are shown: the role's own list first; with both roles, the remembered one. */
export function listOrder(role: Role, lead: ListName): ListName[] {
  if (role === 'assistant') return ['delegators', 'delegates'];
  if (role === 'both') return lead === 'delegates' ? ['delegates', 'delegators'] : ['delegators', 'delegates'];
  return ['delegates', 'delegators'];
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

/**
 * Cards keep their place when presence changes: by name, then id (two people with one name). Only
 * "who can take my call now" ranks by reachability.
 */
export const byName = (entries: DelegationEntry[]): DelegationEntry[] =>
  [...entries].sort((a, b) => collator.compare(a.person.displayName, b.person.displayName) || a.person.id.localeCompare(b.person.id));

const firstName = (e: DelegationEntry) => e.person.displayName.split(' ')[0] || e.person.displayName;

/**
 * The card's one-line verdict. An inactive delegation is worded from where the reader stands: mine
 * *to* a delegate, or *from* the executive who made me theirs.
 */
export function verdictFor(e: DelegationEntry): string {
  if (e.isActive) return e.reason;
  return e.relationship === 'delegator'
    ? `The delegation from ${firstName(e)} is not active, so you do not take their calls now.`
    : `Your delegation to ${firstName(e)} is not active, so they do not take your calls now.`;
}

const MAY_DO: Record<Permission, string> = {
  makeCalls: 'make calls',
  receiveCalls: 'answer calls',
  pickUpHeldCalls: 'pick up held calls',
  joinActiveCalls: 'join active calls',
  manageCallAndDelegateSettings: 'change call and delegate settings',
};

const joinWords = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/** What I may do for an executive, in plain words ("You may make calls and answer calls for Megan."). */
export function mayDoFor(e: DelegationEntry): string {
  const name = firstName(e);
  if (e.permissions.length === 0) return `${name} has not given you any call permissions.`;
  return `You may ${joinWords(e.permissions.map((p) => MAY_DO[p]))} for ${name}.`;
}

/** What a delegate may do for me ("Lynne may make calls and answer calls for you."). */
export function mayDoForMe(e: DelegationEntry): string {
  if (e.permissions.length === 0) return 'No call permissions granted.';
  return `${firstName(e)} may ${joinWords(e.permissions.map((p) => MAY_DO[p]))} for you.`;
}

/** The one line on how to act for an executive in Teams, for the first thing I may do. */
export function callsAppHint(e: DelegationEntry): string {
  const name = firstName(e);
  if (e.permissions.includes('makeCalls')) return `Make calls for ${name} from the Calls app: choose ${name}'s line when you dial.`;
  if (e.permissions.includes('receiveCalls') || e.permissions.includes('pickUpHeldCalls'))
    return `Answer and pick up ${name}'s calls from the Calls app, where ${name}'s line is shown.`;
  if (e.permissions.includes('joinActiveCalls')) return `Join ${name}'s active calls from the Calls app.`;
  return `${name}'s shared line is in the Calls app.`;
}

/** Someone you should not ring without a second thought: presenting, do not disturb, out of office. */
export function callNeedsConfirmation(e: DelegationEntry): string | null {
  const p = e.presence;
  if (!p) return null;
  const name = firstName(e);
  if (p.outOfOffice.isOutOfOffice || p.activity === 'OutOfOffice')
    return `${name} is out of office${p.outOfOffice.message ? `: “${p.outOfOffice.message}”` : '.'}`;
  if (p.activity === 'Presenting') return `${name} is presenting.`;
  if (p.availability === 'DoNotDisturb' || p.activity === 'DoNotDisturb') return `${name} does not want to be disturbed.`;
  return null;
}
