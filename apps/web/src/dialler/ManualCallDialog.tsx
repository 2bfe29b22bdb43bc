import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import type { AgentInteraction, AgentStatus, DialCampaign, PlaceCallBody } from '@parley/contract';
import { type FormEvent, useState } from 'react';
import { api } from '../api';
import type { DirectoryChoice } from '../directory/DirectoryContactItem';
import { DirectoryResults } from '../directory/DirectoryResults';
import { useDirectorySearch } from '../directory/useDirectorySearch';
import { CallDialog } from '../toolbar/CallDialog';
import { ListLoadFailed } from '../toolbar/transfer/ListLoadFailed';
import { useServerList } from '../toolbar/transfer/useServerList';
import { useApiAction } from '../toolbar/useApiAction';
import { DialPad } from './DialPad';
import { mayPlaceCall, PauseRuleNotice } from './PauseRuleNotice';

/** The contract's longest number as typed; a name needs no more to be found. */
const PHONE_TEXT_MAX_LENGTH = 40;
/** The contract's longest `label` (a Name); a longer directory name is cut rather than refused. */
const LABEL_MAX_LENGTH = 100;

/** A letter makes the box a name to look up in the directory rather than a number to dial. */
const LETTER = /\p{L}/u;

export interface ManualCallDialogProps {
  /** The agent's status now: calls are placed from a pause state only. */
  status: AgentStatus | undefined;
  /**
   * The preview lead presented to the agent, no call made on it yet: the call is a Manual Call on
   * it, under its campaign (guide section 5), made while Available.
   */
  lead?: AgentInteraction | undefined;
  onClose: () => void;
  onSessionExpired: () => void;
}

/**
 * The guide's Manual Call (section 4): a number typed or keyed on the dial pad, or a directory
 * contact found by name, and the campaign the call is recorded under. A placed call closes the
 * dialog and appears on the toolbar at once; a refusal is shown here with the number kept.
 * With a preview lead presented, the call is made on the lead (section 5): its campaign is set
 * and cannot be changed, and no pause is needed (the agent works leads while Available).
 */
export function ManualCallDialog({ status, lead, onClose, onSessionExpired }: ManualCallDialogProps) {
  const { pending, error, run, dismissError } = useApiAction(onSessionExpired);
  // The lead presented when the dialog opened: the call is on it even if the toolbar moves on meanwhile.
  const [onLead] = useState(lead);
  const campaigns = useServerList<DialCampaign>(
    () =>
      onLead ? Promise.resolve([{ id: onLead.campaignId, name: onLead.campaignName }]) : api.dialCampaigns(),
    onSessionExpired,
  );
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<DirectoryChoice | null>(null);
  const [chosenCampaign, setChosenCampaign] = useState<string | null>(null);

  const isName = LETTER.test(text);
  const search = useDirectorySearch(isName ? text : '', onSessionExpired);
  const paused = onLead !== undefined || mayPlaceCall(status);
  const number = text.trim();
  const campaignId = onLead?.campaignId ?? chosenCampaign ?? onlyCampaign(campaigns.items);
  // A contact picked names the call for as long as the box holds their number.
  const contact = picked?.number === number ? picked.contact : undefined;
  const ready = paused && !pending && number !== '' && !isName && campaignId !== null;

  function handleText(update: (previous: string) => string) {
    setText((previous) => update(previous).slice(0, PHONE_TEXT_MAX_LENGTH));
    dismissError();
  }

  function handlePick(choice: DirectoryChoice) {
    setPicked(choice);
    handleText(() => choice.number);
  }

  function handleCall(event: FormEvent) {
    event.preventDefault();
    if (!ready || campaignId === null) return;
    if (onLead) {
      void run(async () => {
        await api.dialLeadNumber(onLead.id, number);
        onClose();
      });
      return;
    }
    const body: PlaceCallBody = {
      type: 'number',
      number,
      campaignId,
      ...(contact && { label: contact.name.slice(0, LABEL_MAX_LENGTH) }),
    };
    void run(async () => {
      await api.placeCall(body);
      onClose();
    });
  }

  return (
    <CallDialog onClose={onClose} title="Manual Call">
      <form onSubmit={handleCall} noValidate>
        <Stack gap="md">
          {!paused && <PauseRuleNotice />}
          {onLead && <Text size="sm">A Manual Call on the lead {onLead.label}</Text>}
          <TextInput
            label="Phone number"
            description="Type a number, or a name to search the directory"
            autoComplete="off"
            maxLength={PHONE_TEXT_MAX_LENGTH}
            value={text}
            onChange={(event) => {
              const next = event.currentTarget.value;
              handleText(() => next);
            }}
            disabled={pending}
            data-autofocus
          />
          {isName && (
            <DirectoryResults search={search} onChoose={handlePick} chosen={picked} disabled={pending} />
          )}
          {contact && <Text size="sm">To {contact.name}</Text>}
          <DialPad onPress={(key) => handleText((previous) => previous + key)} disabled={pending} />
          {campaigns.error ? (
            <ListLoadFailed what="the campaigns" error={campaigns.error} />
          ) : campaigns.items?.length === 0 ? (
            <Text size="sm" c="dimmed">
              You are on no campaign to record a call under
            </Text>
          ) : (
            <Select
              label="Campaign"
              description={
                onLead
                  ? "The lead's campaign: the call is recorded under it"
                  : 'The call is recorded under it'
              }
              placeholder={campaigns.items ? 'Choose a campaign' : 'Loading campaigns…'}
              data={(campaigns.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={campaignId}
              onChange={setChosenCampaign}
              allowDeselect={false}
              disabled={!campaigns.items || pending || onLead !== undefined}
            />
          )}
          {error && (
            <Alert role="alert" variant="light" color="red" py="xs">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" color="green" disabled={!ready} loading={pending}>
              Call number
            </Button>
          </Group>
        </Stack>
      </form>
    </CallDialog>
  );
}

/** The one campaign there is to choose, chosen already. */
function onlyCampaign(items: DialCampaign[] | undefined): string | null {
  const [only, ...others] = items ?? [];
  return only && others.length === 0 ? only.id : null;
}
