import IconDialpad from '@tabler/icons-react/icons/IconDialpad';
import IconHeadset from '@tabler/icons-react/icons/IconHeadset';
import { useCallback, useMemo, useState } from 'react';
import type { TopBarAction } from '../toolbar/top-bar/topBarAction';

export type DiallerDialogKind = 'manual' | 'agent';

export interface Dialler {
  /** The top bar's first two actions (guide items 1 and 2), in the guide's words and order. */
  actions: TopBarAction[];
  /** The dialog open now, if any. */
  open: DiallerDialogKind | null;
  close: () => void;
}

/** The top bar's Manual Call and Agent Call, and which of their dialogs is open. */
export function useDialler(): Dialler {
  const [open, setOpen] = useState<DiallerDialogKind | null>(null);
  const actions = useMemo<TopBarAction[]>(
    () => [
      { kind: 'button', label: 'Manual Call', icon: IconDialpad, onClick: () => setOpen('manual') },
      { kind: 'button', label: 'Agent Call', icon: IconHeadset, onClick: () => setOpen('agent') },
    ],
    [],
  );
  const close = useCallback(() => setOpen(null), []);
  return { actions, open, close };
}
