import { CHAT_DEFAULT_CONTACT_NAME, type SurveyAnswer, type SurveyField } from '@parley/contract';
import { AppError } from '../http/app-error.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A phone number as people type one: digits with spaces, dashes, dots, brackets and a leading +. */
const PHONE = /^\+?[0-9][0-9 ().-]{4,30}$/;

/**
 * The pre-chat survey's answers checked against its fields: required ones given, emails and
 * phone numbers that look like them, choices among the options, no answer to a field the survey
 * does not have. Returns the answers in the survey's order (empty optional ones left out) and the
 * contact's name (the `name` field, else `CHAT_DEFAULT_CONTACT_NAME`); else CHAT_SURVEY_INVALID
 * with every problem.
 */
export function checkSurvey(
  fields: SurveyField[],
  given: Record<string, string>,
): { answers: SurveyAnswer[]; contactName: string } {
  const problems: { path: string; message: string }[] = [];
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(given))
    if (!known.has(key)) problems.push({ path: `/survey/${key}`, message: 'not a field of this survey' });
  const answers: SurveyAnswer[] = [];
  for (const f of fields) {
    const value = (given[f.key] ?? '').trim();
    const path = `/survey/${f.key}`;
    if (!value) {
      if (f.required) problems.push({ path, message: `${f.label} is required` });
      continue;
    }
    if (f.type === 'email' && !EMAIL.test(value)) problems.push({ path, message: 'not an email address' });
    if (f.type === 'phone' && !PHONE.test(value)) problems.push({ path, message: 'not a phone number' });
    if (f.type === 'choice' && !f.options?.includes(value))
      problems.push({ path, message: 'not one of the choices' });
    answers.push({ key: f.key, label: f.label, value });
  }
  if (problems.length > 0)
    throw new AppError('CHAT_SURVEY_INVALID', 'Some answers need another look', { details: problems });
  const name = answers.find((a) => a.key === 'name')?.value;
  return { answers, contactName: name || CHAT_DEFAULT_CONTACT_NAME };
}

/** A survey an administrator saves: unique keys, options on choice fields and only there. */
export function checkSurveyFields(fields: SurveyField[]): void {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f.key)) problems.push({ path: `/survey/${i}/key`, message: 'used twice' });
    seen.add(f.key);
    if (f.type === 'choice' && !f.options?.length)
      problems.push({ path: `/survey/${i}/options`, message: 'a choice field needs options' });
    if (f.type !== 'choice' && f.options)
      problems.push({ path: `/survey/${i}/options`, message: 'only choice fields have options' });
  });
  if (problems.length > 0)
    throw new AppError('VALIDATION_FAILED', 'The survey is not valid', { details: problems });
}
