import IconPhoneCheck from '@tabler/icons-react/icons/IconPhoneCheck';

/** What the icon says to a screen reader: the guide's name for such an outcome. */
export const COMPLETE_PHONE_NUMBER = 'Complete Phone Number';

/**
 * The guide's mark of a "Complete Phone Number" outcome: wrapping with it completes only the
 * number called, leaving the lead and its callback time as they are.
 */
export function CompletePhoneNumberIcon({ size = 16 }: { size?: number }) {
  return (
    <IconPhoneCheck
      size={size}
      role="img"
      aria-label={COMPLETE_PHONE_NUMBER}
      color="var(--mantine-color-teal-7)"
      // Its tooltip, for the agent who sees the icon and wonders.
      title={COMPLETE_PHONE_NUMBER}
      style={{ flexShrink: 0 }}
    />
  );
}
