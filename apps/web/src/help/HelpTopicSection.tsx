import { List, Paper, Text, Title } from '@mantine/core';
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
    </Paper>
  );
}
