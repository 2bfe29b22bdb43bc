import { type CannedResponse, CHAT_MESSAGE_MAX, fillPlaceholders, type SurveyAnswer } from '@parley/contract';

/** Who the canned responses speak of: the agent, and the contact as their survey answers tell. */
export interface CannedContext {
  agentName: string;
  contactName: string;
  survey: readonly SurveyAnswer[];
}

/** A canned response's text with `{agent.name}`, `{contact.name}` and `{contact.<survey key>}` put in. */
export function fillCanned(text: string, context: CannedContext): string {
  const fields: Record<string, string> = { 'agent.name': context.agentName };
  for (const answer of context.survey) fields[`contact.${answer.key}`] = answer.value;
  fields['contact.name'] = context.contactName;
  return fillPlaceholders(text, fields);
}

/** The text box's value and where its caret is. */
export interface TextAndCaret {
  text: string;
  caret: number;
}

/** "/" and a snippet name, at the start or after a space, then the space just typed. */
const SNIPPET_BEFORE_CARET = /(?:^|\s)\/([A-Za-z0-9_-]{1,30}) $/;

/**
 * "/ACME " becomes the ACME response's text (and the space), where it was typed; a snippet no
 * response has stays as typed. Undefined when there is nothing to expand.
 */
export function expandSnippet(
  value: TextAndCaret,
  responses: readonly CannedResponse[],
  context: CannedContext,
): TextAndCaret | undefined {
  const before = value.text.slice(0, value.caret);
  const match = SNIPPET_BEFORE_CARET.exec(before);
  const snippet = match?.[1];
  if (!snippet) return undefined;
  const wanted = snippet.toLowerCase();
  const response = responses.find((r) => r.snippet.toLowerCase() === wanted);
  if (!response) return undefined;
  const start = before.length - snippet.length - 2;
  return insertText(
    { text: value.text.slice(0, start) + value.text.slice(value.caret), caret: start },
    `${fillCanned(response.text, context)} `,
  );
}

/** Puts text in at the caret (replacing nothing), within the longest message; the caret follows it. */
export function insertText(value: TextAndCaret, inserted: string): TextAndCaret {
  const head = value.text.slice(0, value.caret);
  const tail = value.text.slice(value.caret);
  const room = Math.max(0, CHAT_MESSAGE_MAX - head.length - tail.length);
  const put = inserted.slice(0, room);
  return { text: head + put + tail, caret: head.length + put.length };
}

/** The responses whose snippet or text holds the search, in any case. */
export function searchCanned(
  responses: readonly CannedResponse[],
  search: string,
  context: CannedContext,
): CannedResponse[] {
  const wanted = search.trim().toLowerCase().replace(/^\//, '');
  if (!wanted) return [...responses];
  return responses.filter(
    (r) =>
      r.snippet.toLowerCase().includes(wanted) || fillCanned(r.text, context).toLowerCase().includes(wanted),
  );
}
