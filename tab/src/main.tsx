import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { fetchConfig } from './api';
import { connectToTeams } from './teams';

const config = await fetchConfig();
// The local Teams host is a valid parent only when the server says this is local development.
const connect = () => connectToTeams(config.localHostOrigin ? [config.localHostOrigin] : undefined);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App config={config} connect={connect} />
  </StrictMode>,
);
