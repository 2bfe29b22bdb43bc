const two = (n: number) => String(n).padStart(2, '0');

/** The guide's "dd/mm/yyyy hh:mm:ss", in the agent's own time zone. */
export function formatAttemptTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const date = `${two(at.getDate())}/${two(at.getMonth() + 1)}/${at.getFullYear()}`;
  return `${date} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}
