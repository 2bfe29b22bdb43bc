import { Box, Button, Group, Text } from '@mantine/core';
import type { DirectoryContact, PhoneKind } from '@parley/contract';
import { useId } from 'react';

/** What the agent chose: a contact, and which of their numbers. */
export interface DirectoryChoice {
  contact: DirectoryContact;
  /** E.164, one of `contact.phones`. */
  number: string;
}

export const PHONE_KIND_LABELS: Record<PhoneKind, string> = { work: 'Work', mobile: 'Mobile' };

export interface DirectoryContactItemProps {
  contact: DirectoryContact;
  /** The number of this contact that is chosen now, if any. */
  chosenNumber: string | undefined;
  disabled: boolean;
  onChoose: (choice: DirectoryChoice) => void;
}

/**
 * One contact found: name, title and department, email, and each phone number with its kind.
 * Each number is a choice of its own, so a contact with a work and a mobile number lets the agent
 * pick which; a contact without one is shown (the agent learns they exist) but offers no choice.
 */
export function DirectoryContactItem({
  contact,
  chosenNumber,
  disabled,
  onChoose,
}: DirectoryContactItemProps) {
  const nameId = useId();
  const details = [contact.title, contact.department].filter(Boolean).join(' · ');
  const choosable = contact.dialable && contact.phones.length > 0;
  return (
    <Box
      component="li"
      aria-labelledby={nameId}
      py={6}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Text id={nameId} size="sm" fw={600}>
        {contact.name}
      </Text>
      {details && (
        <Text size="xs" c="dimmed">
          {details}
        </Text>
      )}
      {contact.email && <Text size="xs">{contact.email}</Text>}
      {choosable ? (
        <Group gap={6} mt={4}>
          {contact.phones.map((phone) => {
            const text = `${PHONE_KIND_LABELS[phone.kind]} ${phone.number}`;
            const chosen = phone.number === chosenNumber;
            return (
              <Button
                key={`${phone.kind}-${phone.number}`}
                size="compact-sm"
                variant={chosen ? 'filled' : 'light'}
                aria-pressed={chosen}
                aria-label={`${contact.name}, ${text}`}
                disabled={disabled}
                onClick={() => onChoose({ contact, number: phone.number })}
              >
                {text}
              </Button>
            );
          })}
        </Group>
      ) : (
        <Text size="xs" c="dimmed" mt={4}>
          No phone number
        </Text>
      )}
    </Box>
  );
}
