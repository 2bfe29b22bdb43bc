import { Center, Loader, VisuallyHidden } from '@mantine/core';

/** Shown for the moment it takes to learn whether the agent is signed in, or to load a page. */
export function PageLoader() {
  return (
    <Center h="100vh">
      <Loader size="sm" />
      <VisuallyHidden>Loading Parley…</VisuallyHidden>
    </Center>
  );
}
