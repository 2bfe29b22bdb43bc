import { Box, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { SessionResponse } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { revokedNotice } from '../auth/signedOutNotice';
import { ProductMark } from '../common/ProductMark';
import { useSessionCheckWhileDown } from '../toolbar/useSessionCheckWhileDown';
import { useLeaveWarning, useNotificationPermission } from './useLeaveWarning';
import { useVoiceChannel } from './useVoiceChannel';
import { useWebConnect } from './useWebConnect';
import { WebConnectPanel } from './WebConnectPanel';
import { readConnectionMode } from './webConnectUrl';

export interface WebConnectPageProps {
  session: SessionResponse;
  /** Back to the sign-in page (on this same address), with a note when the agent did not ask for it. */
  onSignedOut: (notice?: string) => void;
}

/** The Web Connect tab: the agent's softphone, kept open beside the toolbar for the whole login. */
export function WebConnectPage({ session, onSignedOut }: WebConnectPageProps) {
  useDocumentTitle('Web Connect · Parley');
  const [persistent] = useState(() => readConnectionMode() === 'persistent');
  const { channel, status, snapshot } = useVoiceChannel((reason) => onSignedOut(revokedNotice(reason)));
  useSessionCheckWhileDown(status, () => onSignedOut(revokedNotice('expired')));
  const { phase, remoteStream, answer, hangUp } = useWebConnect(channel, persistent, status === 'open');
  useLeaveWarning(phase.kind === 'connected');
  useNotificationPermission();

  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = audio.current;
    if (!element || !remoteStream) return;
    element.srcObject = remoteStream;
    element.play().catch(() => undefined);
  }, [remoteStream]);

  const user = snapshot?.me ?? session.user;
  return (
    <Box mih="100vh" bg="gray.0">
      <Group
        component="header"
        justify="space-between"
        wrap="nowrap"
        px="md"
        h={52}
        bg="white"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group gap="sm" wrap="nowrap" h="100%">
          <ProductMark size="sm" />
          <Divider orientation="vertical" my={14} />
          <Title order={1} fz="md" fw={600}>
            Web Connect
          </Title>
        </Group>
        <Text size="sm" fw={500} truncate="end">
          {user.displayName}
        </Text>
      </Group>
      <Stack component="main" align="center" gap="md" p="md" pt={48}>
        <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={420}>
          <WebConnectPanel phase={phase} onAnswer={answer} onHangUp={hangUp} />
        </Paper>
        {status === 'down' && (
          <Text size="sm" c="orange.8">
            Reaching Parley… Your voice path will be set up once the connection is back.
          </Text>
        )}
        <Text size="xs" c="dimmed" maw={420} ta="center">
          Keep this tab open while you are signed in; closing it ends your voice connection. Set your status
          in the Agent Toolbar.
        </Text>
      </Stack>
      {/* biome-ignore lint/a11y/useMediaCaption: a live phone call has no captions to give. */}
      <audio ref={audio} autoPlay />
    </Box>
  );
}
