import { ApiError } from '@parley/client';
import { describeError } from '../common/describeError';

/** The server's message as a sentence. */
const sentence = (message: string) => (/[.!?]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`);

/** What an import's error code means for the administrator, with the server's own detail. */
export function importErrorText(code: string, message: string): string {
  switch (code) {
    case 'CSV_INVALID':
      return `The file cannot be imported as it is. ${sentence(message)}`;
    case 'CSV_MALFORMED':
      return `The file stops being valid CSV part-way. ${sentence(message)}`;
    case 'IMPORT_RUNNING':
      return 'An import into this list is already running: wait for it to finish, then try again.';
    case 'CAMPAIGN_NOT_OUTBOUND':
      return `Lead lists belong to outbound campaigns only. ${sentence(message)}`;
    case 'BODY_TOO_LARGE':
      return `The file is too large to import. ${sentence(message)}`;
    case 'IMPORT_INTERRUPTED':
      return `The import was interrupted. ${sentence(message)} Import the file again: rows already imported are counted as duplicates.`;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'The server did not take the file as CSV. Save it as CSV (comma-separated values) and try again.';
    case 'FORBIDDEN_ROLE':
      return 'Only administrators can change lead lists and the do-not-call list.';
    default:
      return sentence(message);
  }
}

/** What to say when a request of the lead-list page fails. */
export function describeImportError(error: unknown): string {
  if (error instanceof ApiError) return importErrorText(error.code, error.message);
  return describeError(error);
}
