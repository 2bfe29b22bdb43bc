import type { ComponentType } from 'react';

interface TopBarActionBase {
  /** The guide's words ("Manual Call", "Send Email"): the icon's accessible name and the overflow menu's text. */
  label: string;
  icon: ComponentType<{ size?: number | string; 'aria-hidden'?: boolean }>;
  /** A count over the icon (the Chat icon's active chats), marked when something waits to be read. */
  badge?: TopBarBadge;
}

export interface TopBarBadge {
  count: number;
  marked: boolean;
  /** Read out after the action's name ("2 active chats, new messages"). */
  description: string;
}

/**
 * One of the top bar's icon actions: an icon button while there is room, an item of the
 * "More" menu when there is not.
 */
export type TopBarAction =
  | (TopBarActionBase & {
      kind: 'button';
      onClick: () => void;
      /** A button that opens and closes something (the Chat Panel): whether it is open. */
      pressed?: boolean;
    })
  | (TopBarActionBase & { kind: 'link'; to: string });
