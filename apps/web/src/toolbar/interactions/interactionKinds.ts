import type { MantineColor } from '@mantine/core';
import type { ContactKind } from '@parley/contract';
import IconMail from '@tabler/icons-react/icons/IconMail';
import IconMessage from '@tabler/icons-react/icons/IconMessage';
import IconPhone from '@tabler/icons-react/icons/IconPhone';
import type { ComponentType } from 'react';

export interface InteractionKindInfo {
  /** Read out for the kind's icon. */
  label: string;
  color: MantineColor;
  Icon: ComponentType<{ size?: number; stroke?: number }>;
  /** The state text while the agent handles it. */
  busyText: string;
  /** The button that ends the conversation. */
  endLabel: string;
  /** The button that wraps it up. */
  wrapLabel: string;
}

/** How each kind of interaction is drawn and what its controls are called, in the guide's words. */
export const interactionKinds: Record<ContactKind, InteractionKindInfo> = {
  voice: {
    label: 'Call',
    color: 'teal',
    Icon: IconPhone,
    busyText: 'Talking',
    endLabel: 'Hang Up',
    wrapLabel: 'Wrap Call',
  },
  chat: {
    label: 'Chat',
    color: 'cyan',
    Icon: IconMessage,
    busyText: 'Chatting',
    endLabel: 'End Chat',
    wrapLabel: 'Wrap Chat',
  },
  email: {
    label: 'Email',
    color: 'grape',
    Icon: IconMail,
    busyText: 'Working',
    endLabel: 'End',
    wrapLabel: 'Wrap Email',
  },
};
