import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ProductMark } from '../common/ProductMark';
import { RouteLink } from '../routing/RouteLink';

export interface SupervisionHeaderProps {
  title: string;
  /** Links to the other supervision pages, before "Back to the toolbar". */
  links?: ReactNode;
}

/** The top bar of the managers' pages: the product mark, the page's title, the way back. */
export function SupervisionHeader({ title, links }: SupervisionHeaderProps) {
  return (
    <Group
      component="header"
      justify="space-between"
      px="md"
      h={52}
      bg="white"
      style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
    >
      <Group gap="sm">
        <ProductMark size="sm" />
        <Title order={1} fz="md" fw={600}>
          {title}
        </Title>
      </Group>
      <Group gap="md">
        {links}
        <RouteLink to="/" size="sm">
          Back to the toolbar
        </RouteLink>
      </Group>
    </Group>
  );
}
