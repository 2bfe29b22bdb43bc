import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import type { AgentInteraction, Lead, PanelLead } from '@parley/contract';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../api';
import { useApiAction } from '../toolbar/useApiAction';
import { AddNumberButton } from './AddNumberButton';
import { LeadNumberEditor } from './LeadNumberEditor';
import { LeadNumberItem } from './LeadNumberItem';
import { isConvertedCall, leadCallInProgress } from './leadCall';

export interface LeadNumbersProps {
  interaction: AgentInteraction;
  lead: PanelLead;
  /** A number was added, edited or removed: the lead as the server now has it. */
  onLeadChanged: (lead: Lead) => void;
  onSessionExpired: () => void;
}

const ADD_BUTTON = '[data-add-number]';

/** Which editor is open: a number's (its id), a new number's, or none. */
type Editing = { numberId: string } | 'new' | null;

/**
 * "The phone numbers available to dial", at the top of the right-hand panel while a lead is
 * presented: each with a button to call it (one call at a time, none once the number is
 * completed) and, where the campaign allows, edited in place or added to.
 */
export function LeadNumbers({ interaction, lead, onLeadChanged, onSessionExpired }: LeadNumbersProps) {
  const headingId = useId();
  const sectionRef = useRef<HTMLElement>(null);
  const dial = useApiAction(onSessionExpired);
  const [editing, setEditing] = useState<Editing>(null);
  const [hovered, setHovered] = useState(false);
  // The control the editor was opened from gets the focus back when it closes.
  const [returnFocus, setReturnFocus] = useState<string | null>(null);
  const dialable = interaction.state === 'busy' && !leadCallInProgress(interaction) && !dial.pending;
  // A lead that came with its call connected (a predictive call, a call converted onto it) has had
  // its call: the server places no other from it, so its numbers have no Call button.
  const callable = !isConvertedCall(interaction);

  useEffect(() => {
    if (editing !== null || returnFocus === null) return;
    // A removed number's own button has gone with it: Add new number is next to hand.
    const section = sectionRef.current;
    const target =
      section?.querySelector<HTMLElement>(returnFocus) ?? section?.querySelector<HTMLElement>(ADD_BUTTON);
    target?.focus();
    setReturnFocus(null);
  }, [editing, returnFocus]);

  function open(next: Editing, focusSelector: string) {
    dial.dismissError();
    setEditing(next);
    setReturnFocus(focusSelector);
  }

  function handleClose(changed?: Lead) {
    if (changed) onLeadChanged(changed);
    setEditing(null);
  }

  const editor = (numberId: string | undefined) => (
    <li key={numberId ?? 'new'}>
      <LeadNumberEditor
        interactionId={interaction.id}
        number={lead.numbers.find((n) => n.id === numberId)}
        onClose={handleClose}
        onSessionExpired={onSessionExpired}
      />
    </li>
  );

  return (
    <Paper
      ref={sectionRef}
      component="section"
      aria-labelledby={headingId}
      withBorder
      radius="md"
      p="md"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
    >
      <Title id={headingId} order={2} size="h5" mb="xs">
        Phone numbers
      </Title>
      <Stack component="ul" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
        {lead.numbers.map((number) =>
          editing !== null && editing !== 'new' && editing.numberId === number.id ? (
            editor(number.id)
          ) : (
            <LeadNumberItem
              key={number.id}
              number={number}
              dialable={dialable}
              onEdit={
                lead.editNumbers
                  ? () => open({ numberId: number.id }, `[data-lead-number="${number.id}"]`)
                  : undefined
              }
              onCall={
                callable ? () => void dial.run(() => api.dialLead(interaction.id, number.id)) : undefined
              }
            />
          ),
        )}
        {editing === 'new' && editor(undefined)}
      </Stack>
      {lead.numbers.length === 0 && editing !== 'new' && (
        <Text size="sm" c="dimmed">
          This lead has no phone numbers
        </Text>
      )}
      {lead.editNumbers && editing !== 'new' && (
        <Stack mt="xs">
          <AddNumberButton
            shown={hovered || lead.numbers.length === 0}
            onClick={() => open('new', ADD_BUTTON)}
          />
        </Stack>
      )}
      {dial.error && (
        <Alert role="alert" variant="light" color="red" py="xs" mt="xs">
          {dial.error}
        </Alert>
      )}
    </Paper>
  );
}
