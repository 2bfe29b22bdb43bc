import { MantineProvider } from '@mantine/core';
import { type RenderResult, render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { theme } from '../theme';

function Providers({ children }: { children: ReactNode }) {
  // env="test": no transitions and no portals, so menus and dialogs render at once, in place.
  return (
    <MantineProvider theme={theme} env="test">
      {children}
    </MantineProvider>
  );
}

/** Renders a component as the app does, inside Mantine's provider and theme. */
export function renderWithMantine(ui: ReactElement): RenderResult {
  return render(ui, { wrapper: Providers });
}
