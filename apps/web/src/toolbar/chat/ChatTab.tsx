import { Box, Tabs } from '@mantine/core';

export interface ChatTabProps {
  interactionId: string;
  contactName: string;
  unread: boolean;
  /** The chat has ended and is being wrapped. */
  ended: boolean;
  /** The id of a text saying why the tab is marked ("New messages", "Ended"), outside the tab list. */
  describedBy: string | undefined;
}

/** A chat's tab: the contact's name, and a mark while the customer has written something unread. */
export function ChatTab({ interactionId, contactName, unread, ended, describedBy }: ChatTabProps) {
  return (
    <Tabs.Tab
      value={interactionId}
      aria-describedby={describedBy}
      c={ended ? 'dimmed' : undefined}
      fw={unread ? 700 : undefined}
      rightSection={
        unread ? (
          <Box data-unread w={8} h={8} bg="red.6" style={{ borderRadius: '50%' }} aria-hidden />
        ) : undefined
      }
    >
      {contactName}
    </Tabs.Tab>
  );
}
