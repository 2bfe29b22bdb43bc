import type { ComponentType } from 'react';

interface TopBarActionBase {
  /** The guide's words ("Manual Call", "Send Email"): the icon's accessible name and the overflow menu's text. */
  label: string;
  icon: ComponentType<{ size?: number | string; 'aria-hidden'?: boolean }>;
}

/**
 * One of the top bar's icon actions: an icon button while there is room, an item of the
 * "More" menu when there is not.
 */
export type TopBarAction =
  | (TopBarActionBase & { kind: 'button'; onClick: () => void })
  | (TopBarActionBase & { kind: 'link'; to: string });
