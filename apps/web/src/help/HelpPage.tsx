import { Anchor, Box, Container, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import IconArrowLeft from '@tabler/icons-react/icons/IconArrowLeft';
import { ProductMark } from '../common/ProductMark';
import { RouteLink } from '../routing/RouteLink';
import { HelpTopicSection } from './HelpTopicSection';
import { helpTopics } from './helpTopics';

export function HelpPage() {
  useDocumentTitle('Help · Parley');
  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="md" py="sm">
          <Group justify="space-between">
            <ProductMark size="sm" />
            <RouteLink to="/" size="sm" style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
              <IconArrowLeft size={16} aria-hidden />
              Back to toolbar
            </RouteLink>
          </Group>
        </Container>
      </Box>
      <Container component="main" size="md" py="xl">
        <Stack gap="md">
          <div>
            <Title order={1}>Agent toolbar help</Title>
            <Text c="dimmed">
              A short guide to the toolbar: status, connection modes, taking calls and wrap.
            </Text>
          </div>
          <Box component="nav" aria-label="Help topics">
            <Group gap="md">
              {helpTopics.map((topic) => (
                <Anchor key={topic.id} href={`#help-${topic.id}`} size="sm">
                  {topic.title}
                </Anchor>
              ))}
            </Group>
          </Box>
          {helpTopics.map((topic) => (
            <HelpTopicSection key={topic.id} topic={topic} />
          ))}
        </Stack>
      </Container>
    </Box>
  );
}
