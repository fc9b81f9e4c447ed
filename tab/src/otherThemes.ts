/** The themes loaded on demand (see themes.ts): their own chunk. */
export { teamsDarkTheme, teamsHighContrastTheme } from '@fluentui/react-components';
