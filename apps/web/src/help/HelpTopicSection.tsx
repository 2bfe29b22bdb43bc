import { Kbd, List, Paper, Table, Text, Title } from '@mantine/core';
import type { HelpTopic } from './helpTopics';

export interface HelpTopicSectionProps {
  topic: HelpTopic;
}

export function HelpTopicSection({ topic }: HelpTopicSectionProps) {
  const headingId = `help-${topic.id}`;
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder p="lg">
      <Title id={headingId} order={2} size="h4" mb="xs">
        {topic.title}
      </Title>
      {topic.intro && (
        <Text size="sm" mb="xs">
          {topic.intro}
        </Text>
      )}
      {topic.steps && (
        <List type="ordered" size="sm" spacing={6}>
          {topic.steps.map((step) => (
            <List.Item key={step}>{step}</List.Item>
          ))}
        </List>
      )}
      {topic.points && (
        <List size="sm" spacing={6}>
          {topic.points.map((point) => (
            <List.Item key={point}>{point}</List.Item>
          ))}
        </List>
      )}
      {topic.shortcuts && (
        <Table aria-labelledby={headingId} fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Windows and Linux</Table.Th>
              <Table.Th scope="col">Mac</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {topic.shortcuts.map((shortcut) => (
              <Table.Tr key={shortcut.keys}>
                <Table.Td>
                  <Kbd size="sm">{shortcut.keys}</Kbd>
                </Table.Td>
                <Table.Td>
                  <Kbd size="sm">{shortcut.macKeys}</Kbd>
                </Table.Td>
                <Table.Td>{shortcut.description}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
