/** Which person a name means: related people (delegates, delegators) first, then the directory; a choice from the ambiguity card wins. */
import type { DelegateDesk, DelegationEntry, PresenceView, SsoUser } from '../../shared';
import { matchPeople, type Candidate } from '../people/matchPeople';
import { pickPersonCard } from './cards';
import { msg, type BotReply } from './reply';

interface PersonChoice extends Candidate {
  entry?: DelegationEntry;
  jobTitle?: string | null;
  presence?: PresenceView | null;
}

async function resolve(desk: DelegateDesk, user: SsoUser, name: string): Promise<ReturnType<typeof matchPeople<PersonChoice>>> {
  const view = await desk.loadDelegationView(user);
  const related: PersonChoice[] = [...view.delegates, ...view.delegators].map((e) => ({
    id: e.person.id,
    displayName: e.person.displayName,
    userPrincipalName: e.person.userPrincipalName,
    related: true,
    entry: e,
    jobTitle: e.person.jobTitle,
    presence: e.presence,
  }));
  const first = matchPeople(name, related);
  if (first.kind === 'one') return first;
  const found = await desk.findPeople(user, name.split(' ')[0] ?? name);
  const others: PersonChoice[] = found.map(({ person, presence }) => ({
    id: person.id!.toLowerCase(),
    displayName: person.displayName ?? '',
    userPrincipalName: person.userPrincipalName ?? null,
    related: false,
    jobTitle: person.jobTitle,
    presence,
  }));
  return matchPeople(name, [...related, ...others.filter((o) => !related.some((r) => r.id === o.id))]);
}

/** A person picked from an ambiguity card wins over a new name lookup. */
export async function chosen(desk: DelegateDesk, user: SsoUser, name: string, personId?: string) {
  const m = await resolve(desk, user, name);
  if (personId && m.kind === 'many') {
    const person = m.people.find((p) => p.id === personId);
    if (person) return { kind: 'one' as const, person };
  }
  return m;
}

/** The ambiguity card: its choice comes back with `intent` (and `details`), so the same question is answered for that person. */
export function pick(
  name: string,
  intent: string,
  m: { people: PersonChoice[] },
  details: Record<string, string | number | boolean> = {},
): BotReply {
  return msg(
    `I know more than one ${name}. Which one do you mean?`,
    pickPersonCard(
      name,
      intent,
      m.people.map((p) => ({
        id: p.id,
        displayName: p.displayName,
        userPrincipalName: p.userPrincipalName,
        detail: p.jobTitle ?? p.userPrincipalName ?? undefined,
      })),
      details,
    ),
  );
}
