import { useLocalStorage, useMediaQuery } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';

/** From this width (1280 px at the usual text size) the side panel sits beside the main area; below it, over it. */
const DOCKED_FROM_EM = 80;

/**
 * For AppShell's navbar (in px, which it turns into em). Its "mobile" query is `max-width`, which
 * includes the breakpoint itself: a hair less keeps 1280 px docked, as `useSidePanel` says.
 */
export const SIDE_PANEL_BREAKPOINT = DOCKED_FROM_EM * 16 - 0.1;

export interface SidePanelState {
  /** Beside the main area (wide windows), rather than over it. */
  docked: boolean;
  open: boolean;
  toggle: () => void;
  close: () => void;
}

/**
 * Docked, the panel stays open or collapsed as the agent last left it. Over the main area it
 * starts closed each time, so the work underneath is not hidden until asked for.
 */
export function useSidePanel(): SidePanelState {
  const docked = useMediaQuery(`(min-width: ${DOCKED_FROM_EM}em)`, undefined, {
    getInitialValueInEffect: false,
  });
  const [dockedOpen, setDockedOpen] = useLocalStorage<boolean>({
    key: 'parley.sidePanelOpen',
    defaultValue: true,
    getInitialValueInEffect: false,
  });
  const [overlayOpen, setOverlayOpen] = useState(false);

  // Once docked, an overlay left open is forgotten: narrowing the window later starts it closed.
  useEffect(() => {
    if (docked) setOverlayOpen(false);
  }, [docked]);

  const toggle = useCallback(() => {
    if (docked) setDockedOpen((open) => !open);
    else setOverlayOpen((open) => !open);
  }, [docked, setDockedOpen]);
  const close = useCallback(() => {
    if (docked) setDockedOpen(false);
    else setOverlayOpen(false);
  }, [docked, setDockedOpen]);

  return { docked, open: docked ? dockedOpen : overlayOpen, toggle, close };
}
