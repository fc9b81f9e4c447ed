/** The whole tab for a loaded view: who can take my call now, my delegates, whom I am a delegate for. */
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
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular, Call20Regular } from '@fluentui/react-icons';
import type { DelegationEntry, DelegationView } from '../../../shared/domain/delegationView';
import { PersonAvatar, PersonCard, type PersonActions } from './PersonCard';
import { UpdatesStatus, type UpdatesStatusProps } from './UpdatesStatus';

const useStyles = makeStyles({
  main: { display: 'flex', flexDirection: 'column', gap: '20px', padding: '16px', maxWidth: '1200px' },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    gap: '12px',
    listStyle: 'none',
    padding: 0,
    margin: 0,
  },
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  headingRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: '12px', rowGap: '4px' },
  muted: { color: tokens.colorNeutralForeground3 },
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
});

/** The reachable delegates, best first, one compact row each with the call button: the answer at a glance. */
function ReachableNow({
  entries,
  photos,
  actions,
}: {
  entries: DelegationEntry[];
  photos: Record<string, string | null>;
  actions: PersonActions;
}) {
  const s = useStyles();
  return (
    <ul className={s.nowList} aria-label="Delegates who can take your call now">
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
              appearance="primary"
              aria-label={`Call ${e.person.displayName} now`}
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
  /** Reload now, past the server's cache. */
  onRefresh?: () => Promise<void>;
  /** How presence is kept up to date (pushed or polled), said next to the heading. */
  updates?: UpdatesStatusProps;
}

function PeopleList({
  entries,
  photos,
  actions,
  label,
}: {
  entries: DelegationEntry[];
  photos: Record<string, string | null>;
  actions: PersonActions;
  label: string;
}) {
  const s = useStyles();
  return (
    <ul className={s.grid} aria-label={label}>
      {entries.map((e) => (
        <li key={e.person.id}>
          <PersonCard entry={e} photoUrl={photos[e.person.id]} actions={actions} />
        </li>
      ))}
    </ul>
  );
}

export function DelegationPage({ view, photos, actions, banner, onRefresh, updates }: DelegationPageProps) {
  const s = useStyles();
  const [refreshing, setRefreshing] = useState(false);
  return (
    <main className={s.main} aria-label="Delegate Desk">
      {banner && (
        <MessageBar intent={banner.intent} role="status">
          <MessageBarBody>
            <MessageBarTitle>{banner.title}</MessageBarTitle>
            {banner.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <section className={s.section} aria-labelledby="now-heading">
        <div className={s.headingRow}>
          <Title3 as="h1" id="now-heading" tabIndex={-1}>
            Who can take my call now
          </Title3>
          {updates && <UpdatesStatus {...updates} />}
        </div>
        <Body1 data-testid="now-summary" aria-live="polite">
          {view.whoCanTakeMyCall.summary}
        </Body1>
        {view.whoCanTakeMyCall.people.length > 0 && (
          <ReachableNow entries={view.whoCanTakeMyCall.people} photos={photos} actions={actions} />
        )}
      </section>
      <section className={s.section} aria-labelledby="delegates-heading">
        <Subtitle1 as="h2" id="delegates-heading">
          My delegates ({view.delegates.length})
        </Subtitle1>
        {view.delegates.length === 0 ? (
          <Body1>
            You have no delegates. A delegate can answer and make calls for you. To add one in Teams, open Settings › Calls › Manage
            delegates, then Add people.
          </Body1>
        ) : (
          <PeopleList entries={view.delegates} photos={photos} actions={actions} label="My delegates" />
        )}
      </section>
      <section className={s.section} aria-labelledby="delegators-heading">
        <Subtitle1 as="h2" id="delegators-heading">
          I'm a delegate for ({view.delegators.length})
        </Subtitle1>
        {view.delegators.length === 0 ? (
          <Body1>
            Nobody has made you their delegate. When someone does, their presence and the permissions they gave you appear here.
          </Body1>
        ) : (
          <PeopleList entries={view.delegators} photos={photos} actions={actions} label="People I am a delegate for" />
        )}
      </section>
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
