import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { App } from './App';
import { fetchConfig } from './api';
import { connectToTeams } from './teams';
import { ErrorState } from './components/States';

const root = createRoot(document.getElementById('root')!);
try {
  const config = await fetchConfig();
  // The local Teams host is a valid parent only when the server says this is local development.
  const connect = () => connectToTeams(config.localHostOrigin ? [config.localHostOrigin] : undefined);
  root.render(
    <StrictMode>
      <App config={config} connect={connect} />
    </StrictMode>,
  );
} catch {
  // Without its configuration the tab cannot even talk to Teams: say so rather than stay blank.
  root.render(
    <FluentProvider theme={teamsLightTheme} style={{ minHeight: '100vh' }}>
      <ErrorState
        error={{ code: 'network', message: 'Delegate Desk could not reach its server.' }}
        action={{ label: 'Try again', run: () => location.reload() }}
      />
    </FluentProvider>,
  );
}
