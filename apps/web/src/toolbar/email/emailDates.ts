const FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** When a message was sent or received, as the agent reads it ("7 Dec 2026, 09:30"). */
export function formatEmailDate(at: string): string {
  return FORMAT.format(new Date(at));
}
