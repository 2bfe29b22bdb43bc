import { fillPlaceholders } from '@parley/contract';

/**
 * A campaign script with the interaction's fields put in: `{agent.name}`, `{customer.phone}`,
 * `{campaign.name}`, `{interaction.id}`, `{ivr.data}`, `{ivr.text}`, a lead's columns by name
 * (`{lead.First name}`). A field the interaction
 * does not have becomes empty; a name that is not a field stays as written, so the script's
 * author sees their typo.
 */
export function fillScript(script: string, fields: Record<string, string | null | undefined>): string {
  return fillPlaceholders(script, fields);
}
