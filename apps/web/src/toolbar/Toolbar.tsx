import { AppShell, VisuallyHidden } from '@mantine/core';
import { useDocumentTitle, useHotkeys } from '@mantine/hooks';
import { ApiError } from '@parley/client';
import type { SessionResponse, StatusChoice } from '@parley/contract';
import { useCallback, useMemo } from 'react';
import { api } from '../api';
import { revokedNotice } from '../auth/signedOutNotice';
import { DiallerDialog } from '../dialler/DiallerDialog';
import { useDialler } from '../dialler/useDialler';
import { presentedLead } from '../leads/leadCall';
import { ConnectVoiceDialog } from '../voice/ConnectVoiceDialog';
import { QueuesVoicePrompt } from '../voice/QueuesVoicePrompt';
import { useConnectVoicePrompt } from '../voice/useConnectVoicePrompt';
import { VoiceDisconnectedAlert } from '../voice/VoiceDisconnectedAlert';
import { VoiceIndicator } from '../voice/VoiceIndicator';
import { ConnectionBanner } from './ConnectionBanner';
import { useChatPanel } from './chat/useChatPanel';
import { EmailNotices } from './email/EmailNotices';
import { SendEmailDialog } from './email/SendEmailDialog';
import { useEmailToolbar } from './email/useEmailToolbar';
import { withShownInteraction } from './email/withShownInteraction';
import { InteractionsArea } from './interactions/InteractionsArea';
import { SidePanel } from './side-panel/SidePanel';
import { SIDE_PANEL_BREAKPOINT, useSidePanel } from './side-panel/useSidePanel';
import { AutoPauseAlert } from './status/AutoPauseAlert';
import { StatusErrorAlert } from './status/StatusErrorAlert';
import { StatusMenu } from './status/StatusMenu';
import { TopBar } from './top-bar/TopBar';
import { useApiAction } from './useApiAction';
import { useSessionCheckWhileDown } from './useSessionCheckWhileDown';
import { useToolbarShortcuts } from './useToolbarShortcuts';
import { useToolbarState } from './useToolbarState';

export interface ToolbarProps {
  session: SessionResponse;
  /** Back to the sign-in page, with a note when the agent did not ask for it. */
  onSignedOut: (notice?: string) => void;
}

export function Toolbar({ session, onSignedOut }: ToolbarProps) {
  useDocumentTitle(`Parley · ${session.workspace.name}`);
  const sidePanel = useSidePanel();
  useHotkeys([['mod+B', sidePanel.toggle]]);

  const { snapshot, status, hasBeenOpen, stop, subscribe } = useToolbarState({
    onRevoked: (reason) => onSignedOut(revokedNotice(reason)),
  });

  const voice = snapshot?.agent.voice;
  const connectVoice = useConnectVoicePrompt(voice);
  const dialler = useDialler();

  const handleSessionExpired = useCallback(() => {
    stop();
    onSignedOut(revokedNotice('expired'));
  }, [stop, onSignedOut]);
  useSessionCheckWhileDown(status, handleSessionExpired);
  const chat = useChatPanel({
    interactions: snapshot?.agent.interactions,
    subscribe,
    agentName: (snapshot?.me ?? session.user).displayName,
    onSessionExpired: handleSessionExpired,
  });
  const email = useEmailToolbar({
    interactions: snapshot?.agent.interactions,
    queues: snapshot?.queues,
    subscribe,
    onSessionExpired: handleSessionExpired,
  });
  const actions = useMemo(
    () => [...dialler.actions, ...email.actions, chat.action],
    [dialler.actions, email.actions, chat.action],
  );
  const { setWanted: setWantedEmail } = email;
  const handleEmailShown = useCallback(() => setWantedEmail(undefined), [setWantedEmail]);
  useToolbarShortcuts({ interactions: snapshot?.agent.interactions, onSessionExpired: handleSessionExpired });
  // The status shown is always the server's: a choice is only a request, answered over the realtime channel.
  const statusRequest = useApiAction(handleSessionExpired);
  const handleChooseStatus = (choice: StatusChoice) => statusRequest.run(() => api.setStatus(choice));

  async function handleSignOut() {
    // Stop first, so the server's "revoked" for this very sign-out is not taken for one from elsewhere.
    stop();
    try {
      await api.logout();
    } catch {
      // Signed out here all the same; the server's session ends with its cookie.
    }
    onSignedOut();
  }

  async function handleClearNotifications() {
    try {
      await api.clearNotifications();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) handleSessionExpired();
      throw error;
    }
  }

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{
        width: 264,
        breakpoint: SIDE_PANEL_BREAKPOINT,
        collapsed: { mobile: !sidePanel.open, desktop: !sidePanel.open },
      }}
      padding="md"
    >
      <TopBar
        workspaceName={snapshot?.settings.name ?? session.workspace.name}
        user={snapshot?.me ?? session.user}
        notifications={snapshot?.notifications}
        voice={<VoiceIndicator voice={voice} onConnect={connectVoice.open} />}
        status={
          <StatusMenu
            agent={snapshot?.agent}
            pauseReasons={snapshot?.pauseReasons ?? []}
            pending={statusRequest.pending}
            onChoose={handleChooseStatus}
          />
        }
        actions={actions}
        sidePanelOpen={sidePanel.open}
        onToggleSidePanel={sidePanel.toggle}
        onSignOut={handleSignOut}
        onClearNotifications={handleClearNotifications}
      />
      <SidePanel
        open={sidePanel.open}
        overlay={!sidePanel.docked}
        onClose={sidePanel.close}
        assignments={snapshot?.assignments}
        queues={snapshot?.queues}
        queuesNotice={<QueuesVoicePrompt voice={voice} onConnect={connectVoice.open} />}
        notifications={snapshot?.notifications}
        onSessionExpired={handleSessionExpired}
      />
      <AppShell.Main display="flex" style={{ flexDirection: 'column' }} bg="gray.0">
        <VisuallyHidden>
          <h1>Agent Toolbar</h1>
        </VisuallyHidden>
        <VoiceDisconnectedAlert voice={voice} />
        <ConnectionBanner status={status} hasBeenOpen={hasBeenOpen} />
        <AutoPauseAlert agent={snapshot?.agent} />
        <StatusErrorAlert error={statusRequest.error} onDismiss={statusRequest.dismissError} />
        <EmailNotices email={email} />
        <InteractionsArea
          interactions={snapshot?.agent.interactions}
          recordingControlsVisible={snapshot?.settings.recordingControlsVisible ?? false}
          agentAssistEnabled={snapshot?.settings.agentAssistEnabled ?? false}
          centre={withShownInteraction(chat.renderPanel, email.wanted, handleEmailShown)}
          belowCentre={chat.belowPanel}
          onSessionExpired={handleSessionExpired}
        />
      </AppShell.Main>
      <DiallerDialog
        open={dialler.open}
        status={snapshot?.agent.status}
        lead={presentedLead(snapshot?.agent.interactions)}
        onClose={dialler.close}
        onSessionExpired={handleSessionExpired}
      />
      {email.options && (
        <SendEmailDialog
          key={String(email.sendDialogOpen)}
          opened={email.sendDialogOpen}
          options={email.options}
          onClose={email.closeSendDialog}
          onCreated={setWantedEmail}
          onSessionExpired={handleSessionExpired}
        />
      )}
      <ConnectVoiceDialog opened={connectVoice.opened} onClose={connectVoice.close} voice={voice} />
    </AppShell>
  );
}
