/** The first paint, at once, and the page once its code and configuration are there. */
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import type { TabConfig } from './api';
import type { Boot } from './boot';
import type { TeamsTheme } from './teams';
import { rememberedTheme, useTheme } from './themes';
import { LoadingState } from './components/Loading';

/** Said when the configuration or the page's code cannot be fetched: a reload tries both again. */
const UNREACHABLE = 'Delegate Desk could not reach its server.';
const reload = () => location.reload();

// Even the error screen's code may fail to arrive: then the same words without Fluent.
const Unreachable = lazy(() =>
  import('./components/States').then(
    ({ ErrorState }) => ({
      default: () => <ErrorState error={{ code: 'network', message: UNREACHABLE }} action={{ label: 'Try again', run: reload }} />,
    }),
    () => ({
      default: () => (
        <main aria-label="Delegate Desk">
          <p role="alert">{UNREACHABLE}</p>
          <button onClick={reload}>Try again</button>
        </main>
      ),
    }),
  ),
);

type Page = { App: Awaited<Boot['page']>['App']; config: TabConfig };

/**
 * The shell, painted at once (in the theme Teams had last time) while the configuration, Teams and the
 * page's code arrive; then the page itself.
 */
export function Shell({ boot }: { boot: Boot }) {
  const [page, setPage] = useState<Page | null>(null);
  const [failed, setFailed] = useState(false);
  const [teamsTheme, setTeamsTheme] = useState<TeamsTheme>(() => rememberedTheme());
  const shown = useTheme(teamsTheme);
  const connect = useMemo(() => () => boot.host, [boot]);
  useEffect(() => {
    boot.host.then(
      (h) => setTeamsTheme(h.theme),
      () => undefined, // the page says why
    );
    Promise.all([boot.page, boot.config]).then(
      ([m, config]) => setPage({ App: m.App, config }),
      () => setFailed(true),
    );
  }, [boot]);

  // Nothing until the theme is there (dark and high contrast load on demand): no light flash in a dark Teams.
  if (!shown) return null;
  if (page && !failed) return <page.App config={page.config} connect={connect} first={boot.first} theme={shown.name} />;
  return (
    <FluentProvider theme={shown.theme} style={{ minHeight: '100vh' }} data-theme={shown.name}>
      {failed ? (
        <Suspense fallback={null}>
          <Unreachable />
        </Suspense>
      ) : (
        <LoadingState />
      )}
    </FluentProvider>
  );
}
