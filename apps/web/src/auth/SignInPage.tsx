import {
  Alert,
  Box,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { SessionResponse } from '@parley/contract';
import IconAlertCircle from '@tabler/icons-react/icons/IconAlertCircle';
import IconInfoCircle from '@tabler/icons-react/icons/IconInfoCircle';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { ProductMark } from '../common/ProductMark';
import { loginErrorMessage } from './loginErrorMessage';

export interface SignInPageProps {
  /** Why the agent is here again, e.g. after their session was ended elsewhere. */
  notice: string | undefined;
  onSignedIn: (session: SessionResponse) => void;
}

export function SignInPage({ notice, onSignedIn }: SignInPageProps) {
  useDocumentTitle('Sign in · Parley');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [submitting, setSubmitting] = useState(false);
  const [showNotice, setShowNotice] = useState(true);
  const [missing, setMissing] = useState({ username: false, password: false });
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const nowMissing = { username: !username.trim(), password: !password };
    setMissing(nowMissing);
    if (nowMissing.username || nowMissing.password) return;
    setSubmitting(true);
    setError(undefined);
    setShowNotice(false);
    try {
      const session = await api.login({ username: username.trim(), password });
      onSignedIn(session);
    } catch (caught) {
      setError(loginErrorMessage(caught));
      setSubmitting(false);
    }
  }

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Box component="main" w="100%" maw={380}>
        <Center mb="lg">
          <ProductMark />
        </Center>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <form onSubmit={handleSubmit} noValidate>
            <Stack gap="md">
              <div>
                <Title order={1} size="h3">
                  Sign in to Parley
                </Title>
                <Text size="sm" c="dimmed">
                  Use the username and password your administrator gave you.
                </Text>
              </div>
              {notice && showNotice && (
                <Alert role="status" variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
                  {notice}
                </Alert>
              )}
              {error && (
                <Alert role="alert" variant="light" color="red" icon={<IconAlertCircle size={18} />}>
                  {error}
                </Alert>
              )}
              <TextInput
                label="Username"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                ref={usernameRef}
                required
                withAsterisk={false}
                error={missing.username ? 'Enter your username' : undefined}
                value={username}
                onChange={(event) => setUsername(event.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                name="password"
                autoComplete="current-password"
                // Named without "password" so that the field alone answers to the label "Password".
                visibilityToggleButtonProps={{ 'aria-label': 'Show typed characters' }}
                required
                withAsterisk={false}
                error={missing.password ? 'Enter your password' : undefined}
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              <Button type="submit" fullWidth loading={submitting} disabled={submitting}>
                Sign In
              </Button>
            </Stack>
          </form>
        </Paper>
      </Box>
    </Center>
  );
}
