/**
 * The whole tab for a loaded view, led by the reader's role: an assistant first sees the people they take
 * calls for; an executive who can take their call now and their delegates; someone with both, the list
 * they chose last. Cards keep a stable order (by name); only "who can take my call now" ranks.
 */
import { useState } from 'react';
import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle1,
  Text,
  Title3,
  ToggleButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular, Call20Regular } from '@fluentui/react-icons';
import type { DelegationEntry, DelegationView } from '../../../shared/domain/delegationView';
import { byName, listOrder, rememberLead, rememberedLead, roleOf, type ListName, type Role } from '../roles';
import { CodeBlock } from './CodeBlock';
import { PersonAvatar, PersonCard, type PersonActions } from './PersonCard';
import { UpdatesStatus, type UpdatesStatusProps } from './UpdatesStatus';

const useStyles = makeStyles({
  // Teams gives a personal tab the full width: the cards use it.
  main: { display: 'flex', flexDirection: 'column', gap: '20px', padding: '16px 24px', boxSizing: 'border-box', width: '100%' },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 340px), 1fr))',
    gap: '12px',
    listStyle: 'none',
    padding: 0,
    margin: 0,
  },
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  headingRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: '12px', rowGap: '4px' },
  muted: { color: tokens.colorNeutralForeground2 },
  nowList: { display: 'flex', flexWrap: 'wrap', gap: '8px', listStyle: 'none', padding: 0, margin: 0 },
  nowItem: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    padding: '6px 8px',
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  nowWho: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  name: { fontWeight: tokens.fontWeightSemibold },
  footer: { display: 'flex', alignItems: 'center', gap: '8px' },
  leadChoice: { display: 'flex', alignItems: 'center', gap: '8px', flexWrap: 'wrap' },
  details: { display: 'flex', flexDirection: 'column', gap: '8px' },
  summary: { cursor: 'pointer', width: 'fit-content', color: tokens.colorNeutralForeground1 },
});

/** The reachable delegates, best first, one compact row each with the call button: the answer at a glance. */
function ReachableNow({
  entries,
  photos,
  actions,
  asOf,
}: {
  entries: DelegationEntry[];
  photos: Record<string, string | null>;
  actions: PersonActions;
  asOf: string | null;
}) {
  const s = useStyles();
  return (
    <ul className={s.nowList} aria-label={asOf ? `Delegates who could take your call at ${asOf}` : 'Delegates who can take your call now'}>
      {entries.map((e) => (
        <li key={e.person.id} className={s.nowItem} aria-label={e.person.displayName}>
          <PersonAvatar entry={e} photoUrl={photos[e.person.id]} size={32} />
          <div className={s.nowWho}>
            <Text className={s.name}>{e.person.displayName}</Text>
            <Caption1>{e.presence?.description ?? 'Presence unknown'}</Caption1>
          </div>
          {e.person.userPrincipalName && (
            <Button
              icon={<Call20Regular />}
              appearance={asOf ? 'secondary' : 'primary'}
              aria-label={asOf ? `Call ${e.person.displayName}` : `Call ${e.person.displayName} now`}
              onClick={() => actions.onCall(e, false)}
            >
              Call
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}

export interface DelegationPageProps {
  view: DelegationView;
  photos: Record<string, string | null>;
  actions: PersonActions;
  /** A notice above the content (e.g. "showing earlier data, retrying"). */
  banner?: { intent: 'warning' | 'info'; title: string; message: string };
  /** Presence could not be refreshed: the time (in words) the presence shown dates from; no "now" claims then. */
  asOf?: string | null;
  /** Reload now, past the server's cache. */
  onRefresh?: () => Promise<void>;
  /** How presence is kept up to date (pushed or polled), said next to the heading. */
  updates?: UpdatesStatusProps;
}

/** Where Teams changes delegates (the delegation API is read-only), and the PowerShell for administrators. */
function ManageDelegates({ upn }: { upn: string }) {
  const s = useStyles();
  const me = upn || '<you@contoso.com>';
  return (
    <details className={s.details} data-testid="manage-delegates">
      <summary className={s.summary}>For Teams administrators: manage delegates with PowerShell</summary>
      <CodeBlock
        label="PowerShell to manage delegates"
        code={[
          `New-CsUserCallingDelegate -Identity "${me}" -Delegate "<delegate@contoso.com>" -MakeCalls $true -ReceiveCalls $true -ManageSettings $false`,
          `Set-CsUserCallingDelegate -Identity "${me}" -Delegate "<delegate@contoso.com>" -ReceiveCalls $false`,
          `Remove-CsUserCallingDelegate -Identity "${me}" -Delegate "<delegate@contoso.com>"`,
        ].join('\n')}
      />
    </details>
  );
}

const MANAGE_IN_TEAMS =
  'To add, change or remove delegates, open Teams Settings › Calls › Manage delegates (Delegate Desk can only read them).';

function PeopleList({
  entries,
  photos,
  actions,
  label,
  asOf,
}: {
  entries: DelegationEntry[];
  photos: Record<string, string | null>;
  actions: PersonActions;
  label: string;
  asOf: string | null;
}) {
  const s = useStyles();
  return (
    <ul className={s.grid} aria-label={label}>
      {byName(entries).map((e) => (
        <li key={e.person.id}>
          <PersonCard entry={e} photoUrl={photos[e.person.id]} actions={actions} asOf={asOf} />
        </li>
      ))}
    </ul>
  );
}

interface ListProps {
  view: DelegationView;
  photos: Record<string, string | null>;
  actions: PersonActions;
  asOf: string | null;
  role: Role;
  lead: boolean;
}

function DelegatesSection({ view, photos, actions, asOf, role, lead }: ListProps) {
  const s = useStyles();
  const Heading = lead ? Title3 : Subtitle1;
  const n = view.delegates.length;
  return (
    <section className={s.section} aria-labelledby="delegates-heading">
      <Heading as={lead ? 'h1' : 'h2'} id="delegates-heading" tabIndex={lead ? -1 : undefined}>
        My delegates ({n})
      </Heading>
      {n === 0 ? (
        <Body1>
          {role === 'assistant'
            ? 'You have no delegates of your own.'
            : 'You have no delegates. A delegate can answer and make calls for you.'}{' '}
          {MANAGE_IN_TEAMS}
        </Body1>
      ) : (
        <>
          <Body1 className={s.muted}>{MANAGE_IN_TEAMS}</Body1>
          <PeopleList entries={view.delegates} photos={photos} actions={actions} label="My delegates" asOf={asOf} />
        </>
      )}
      {role !== 'assistant' && <ManageDelegates upn={view.me.userPrincipalName} />}
    </section>
  );
}

function DelegatorsSection({ view, photos, actions, asOf, lead }: ListProps) {
  const s = useStyles();
  const Heading = lead ? Title3 : Subtitle1;
  const n = view.delegators.length;
  return (
    <section className={s.section} aria-labelledby="delegators-heading">
      <Heading as={lead ? 'h1' : 'h2'} id="delegators-heading" tabIndex={lead ? -1 : undefined}>
        People I take calls for ({n})
      </Heading>
      {n === 0 ? (
        <Body1>
          Nobody has made you their delegate. When someone does (in Teams: Settings › Calls › Manage delegates), their presence and what you
          may do for them appear here.
        </Body1>
      ) : (
        <>
          <Body1 className={s.muted}>
            What you may do for each of them is below. Teams' Calls app is where you make, answer and pick up their calls.
          </Body1>
          <PeopleList entries={view.delegators} photos={photos} actions={actions} label="People I take calls for" asOf={asOf} />
        </>
      )}
    </section>
  );
}

function WhoCanTakeMyCall({
  view,
  photos,
  actions,
  asOf,
  updates,
  lead,
}: {
  view: DelegationView;
  photos: Record<string, string | null>;
  actions: PersonActions;
  asOf: string | null;
  updates?: UpdatesStatusProps;
  lead: boolean;
}) {
  const s = useStyles();
  const Heading = lead ? Title3 : Subtitle1;
  const people = view.whoCanTakeMyCall.people;
  return (
    <section className={s.section} aria-labelledby="now-heading">
      <div className={s.headingRow}>
        <Heading as={lead ? 'h1' : 'h2'} id="now-heading" tabIndex={-1}>
          {asOf ? `Who could take my call at ${asOf}` : 'Who can take my call now'}
        </Heading>
        {updates && <UpdatesStatus {...updates} />}
      </div>
      <Body1 data-testid="now-summary" aria-live="polite">
        {asOf
          ? `Presence has not been refreshed since ${asOf}, so who is free may have changed. ${
              people.length > 0 ? `At ${asOf}: ${people.map((p) => p.person.displayName).join(', ')}.` : ''
            }`.trim()
          : view.whoCanTakeMyCall.summary}
      </Body1>
      {people.length > 0 && <ReachableNow entries={people} photos={photos} actions={actions} asOf={asOf} />}
    </section>
  );
}

/** With both roles: which list comes first, remembered in this browser. */
function LeadChoice({ lead, onChange }: { lead: ListName; onChange: (l: ListName) => void }) {
  const s = useStyles();
  return (
    <div className={s.leadChoice} role="group" aria-label="Show first">
      <Caption1 className={s.muted}>Show first:</Caption1>
      <ToggleButton size="small" checked={lead === 'delegators'} onClick={() => onChange('delegators')}>
        People I take calls for
      </ToggleButton>
      <ToggleButton size="small" checked={lead === 'delegates'} onClick={() => onChange('delegates')}>
        My delegates
      </ToggleButton>
    </div>
  );
}

export function DelegationPage({ view, photos, actions, banner, asOf = null, onRefresh, updates }: DelegationPageProps) {
  const s = useStyles();
  const [refreshing, setRefreshing] = useState(false);
  const [lead, setLead] = useState<ListName>(() => rememberedLead());
  const role = roleOf(view);
  const order = listOrder(role, lead);
  const props = { view, photos, actions, asOf, role };
  const sections = order.map((list, i) =>
    list === 'delegators' ? (
      <DelegatorsSection key={list} {...props} lead={i === 0} />
    ) : (
      <div key={list} className={s.section}>
        <WhoCanTakeMyCall view={view} photos={photos} actions={actions} asOf={asOf} updates={updates} lead={i === 0} />
        <DelegatesSection {...props} lead={false} />
      </div>
    ),
  );
  // An assistant's page never opens on "no delegates": their own (empty) list is one line at the end.
  const shown = role === 'assistant' ? [sections[0], <DelegatesSection key="mine" {...props} lead={false} />] : sections;
  return (
    <main className={s.main} aria-label="Delegate Desk" data-role={role}>
      {banner && (
        <MessageBar intent={banner.intent} role="status" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{banner.title}</MessageBarTitle> {banner.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {role === 'both' && (
        <LeadChoice
          lead={lead}
          onChange={(l) => {
            setLead(l);
            rememberLead(l);
          }}
        />
      )}
      {role === 'assistant' && updates && (
        <div className={s.headingRow}>
          <UpdatesStatus {...updates} />
        </div>
      )}
      {shown}
      <div className={s.footer}>
        <Caption1 className={s.muted}>Updated {new Date(view.generatedAt).toLocaleTimeString()}</Caption1>
        {onRefresh && (
          <Button
            appearance="subtle"
            size="small"
            icon={<ArrowClockwise20Regular />}
            disabledFocusable={refreshing} // keeps focus on the button while it works
            onClick={() => {
              setRefreshing(true);
              void onRefresh().finally(() => setRefreshing(false));
            }}
          >
            {refreshing ? 'Refreshing…' : 'Refresh'}
          </Button>
        )}
      </div>
    </main>
  );
}
