import type { Db } from '../src/db/database.js';

/** Leads put straight into a new list of the campaign (the CSV import has its own tests). */
export async function seedLeads(
  db: Db,
  campaign: { id: string; workspaceId: string },
  leads: { fields: Record<string, string>; numbers: [string, string][]; priority?: number }[],
): Promise<string[]> {
  const list = await db
    .insertInto('lead_lists')
    .values({
      workspace_id: campaign.workspaceId,
      campaign_id: campaign.id,
      name: `List ${crypto.randomUUID()}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: string[] = [];
  for (const l of leads) {
    const lead = await db
      .insertInto('leads')
      .values({
        workspace_id: campaign.workspaceId,
        campaign_id: campaign.id,
        list_id: list.id,
        fields: JSON.stringify(l.fields),
        priority: l.priority ?? 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(lead.id);
    let position = 0;
    for (const [label, number] of l.numbers)
      await db
        .insertInto('lead_numbers')
        .values({ lead_id: lead.id, position: position++, label, number })
        .execute();
  }
  return ids;
}
