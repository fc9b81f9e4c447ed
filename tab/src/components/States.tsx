/** Error and "not in Teams" screens (the loading one is in Loading.tsx, part of the first paint). */
import {
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Title3,
  makeStyles,
} from '@fluentui/react-components';
import { uiFor, type TabError } from '../errors';
import { CodeBlock } from './CodeBlock';

export { LoadingState } from './Loading';

/** Messages are shown one after another: each ends as a sentence, so they never run together. */
const sentence = (text: string) => (/[.!?…:]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/**
 * The per-user fix for a calling policy that forbids delegation: a policy that allows it, granted to this
 * user only (changing the Global policy would change it for everyone).
 */
export const policyFix = (upn: string) =>
  [
    `New-CsTeamsCallingPolicy -Identity "DelegationAllowed" -AllowDelegation $true`,
    `Grant-CsTeamsCallingPolicy -Identity "${upn || '<user@contoso.com>'}" -PolicyName "DelegationAllowed"`,
  ].join('\n');

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '16px', padding: '16px', maxWidth: '720px' },
});

export interface ErrorAction {
  label: string;
  run(): void;
}

export function ErrorState({
  error,
  action,
  userPrincipalName = '',
}: {
  error: TabError;
  action?: ErrorAction;
  userPrincipalName?: string;
}) {
  const s = useStyles();
  const ui = uiFor(error.code);
  return (
    <main className={s.page} aria-label="Delegate Desk">
      <MessageBar intent={ui.intent} layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{ui.title}</MessageBarTitle> <span>{sentence(error.message)}</span>{' '}
          {error.code === 'delegationDisabled' && (
            <>
              <Body1 as="p">
                A Teams administrator can allow it for you alone, without changing the Global policy for everyone (or grant you an existing
                policy that has AllowDelegation):{' '}
              </Body1>
              <CodeBlock code={policyFix(userPrincipalName)} label="PowerShell to allow call delegation for you" />
            </>
          )}
          {error.requestId && <Caption1 as="p">Reference for your administrator: {error.requestId}.</Caption1>}
        </MessageBarBody>
        {action && (
          <MessageBarActions>
            <Button appearance="primary" onClick={action.run}>
              {action.label}
            </Button>
          </MessageBarActions>
        )}
      </MessageBar>
    </main>
  );
}

export function NotInTeams({ localHostOrigin }: { localHostOrigin: string | null }) {
  const s = useStyles();
  return (
    <main className={s.page} aria-label="Delegate Desk">
      <Title3 as="h1">Open Delegate Desk in Microsoft Teams</Title3>
      <Body1>This page is a Teams tab. Add Delegate Desk to Teams and pin it in the sidebar to see your delegates.</Body1>
      {localHostOrigin && (
        <Body1>
          For local development, open the local Teams host: <a href={`${localHostOrigin}/`}>{localHostOrigin}/</a>
        </Body1>
      )}
    </main>
  );
}
