import { type CSSVariablesResolver, createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled controls and links in shade 8: white on indigo 6 (4.3:1) or red 6 (3.3:1) falls short of WCAG AA.
  primaryShade: 8,
  // White text on a fill wherever it reaches 4.5:1 (luminance up to 1.05 / 4.5 - 0.05), black beyond:
  // no shade of Mantine's green carries white text at 4.5:1.
  autoContrast: true,
  luminanceThreshold: 0.183,
  defaultRadius: 'sm',
  cursorType: 'pointer',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '600' },
});

/**
 * Dimmed text and field errors a shade darker than Mantine's: gray 6 (3.3:1 on white) and red 6
 * (3.3:1) fall short of WCAG AA's 4.5:1 for small text.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});
