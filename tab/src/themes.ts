/**
 * The Teams themes as Fluent themes. Light is Teams' default and part of the first paint; dark and high
 * contrast load on demand. Until the one asked for has loaded, the theme shown stays (or nothing is
 * shown yet), so a dark Teams never sees the light tab flash.
 */
import { useEffect, useState } from 'react';
import { teamsLightTheme, type Theme } from '@fluentui/react-components';
import type { TeamsTheme } from './teams';

const loaded: Partial<Record<TeamsTheme, Theme>> = { default: teamsLightTheme };

export function loadTheme(name: TeamsTheme): Promise<Theme> {
  const ready = loaded[name];
  if (ready) return Promise.resolve(ready);
  return import('./otherThemes').then((m) => (loaded[name] = name === 'dark' ? m.teamsDarkTheme : m.teamsHighContrastTheme));
}

type Shown = { name: TeamsTheme; theme: Theme };

/** The theme to show for `wanted`: it once loaded; before, the last one shown; null if there was none yet. */
export function useTheme(wanted: TeamsTheme): Shown | null {
  const [last, setLast] = useState<Shown | null>(null);
  const [, loadedOne] = useState(0);
  const ready = loaded[wanted];
  useEffect(() => {
    if (ready) return void setLast((l) => (l?.theme === ready ? l : { name: wanted, theme: ready }));
    let current = true;
    loadTheme(wanted).then(
      () => current && loadedOne((n) => n + 1),
      // Its chunk could not be fetched (network): light rather than nothing.
      () => current && setLast((l) => l ?? { name: 'default', theme: teamsLightTheme }),
    );
    return () => {
      current = false;
    };
  }, [wanted, ready]);
  return ready ? { name: wanted, theme: ready } : last;
}

const THEME_KEY = 'delegateDesk.theme';

/** The theme Teams had last time, so the first paint (before Teams answers) is already in it. */
export function rememberedTheme(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): TeamsTheme {
  try {
    const t = storage?.getItem(THEME_KEY);
    return t === 'dark' || t === 'contrast' ? t : 'default';
  } catch {
    return 'default'; // storage refused (privacy settings)
  }
}

export function rememberTheme(theme: TeamsTheme, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(THEME_KEY, theme);
  } catch {
    // nothing to remember it in
  }
}
