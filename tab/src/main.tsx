// First: everything the tab waits for starts now (boot.ts), before React is even evaluated.
import { boot } from './start';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Shell } from './Shell';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell boot={boot} />
  </StrictMode>,
);
