/**
 * Text with fields put in: `{agent.name}`, `{customer.phone}`, a lead's columns by name
 * (`{lead.First name}`), a chat contact's survey answers (`{contact.email}`). A field the values
 * lack becomes empty; a name that is not a field stays as written, so the author sees their
 * typo. Used for campaign scripts (server) and canned responses (toolbar).
 */
export function fillPlaceholders(text: string, fields: Record<string, string | null | undefined>): string {
  return text.replace(/\{([a-zA-Z]+(?:\.[^{}\n]{1,64})?)\}/g, (whole, name: string) =>
    name in fields ? (fields[name] ?? '') : whole,
  );
}
