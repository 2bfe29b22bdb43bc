import type { SurveyField } from '@parley/contract';

/** The longest answer the platform takes (the start frame's limit). */
export const SURVEY_ANSWER_MAX = 500;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Digits with the usual separators and an optional leading +. */
const PHONE = /^\+?[\d\s().-]+$/;

export interface SurveyResult {
  /** The answers to send, trimmed; empty optional answers left out. */
  answers: Record<string, string>;
  /** A message per field key that is not acceptable; empty when the survey can be sent. */
  errors: Record<string, string>;
}

function problem(field: SurveyField, value: string): string | null {
  if (!value) return field.required ? `${field.label} is required` : null;
  if (value.length > SURVEY_ANSWER_MAX) return `${field.label} is too long`;
  switch (field.type) {
    case 'email':
      return EMAIL.test(value) ? null : 'Enter an email address like name@example.com';
    case 'phone': {
      const digits = value.replace(/\D/g, '').length;
      return PHONE.test(value) && digits >= 5 && digits <= 20 ? null : 'Enter a phone number';
    }
    case 'choice':
      return field.options?.includes(value) ? null : `Choose one of the options for ${field.label}`;
    case 'text':
      return null;
  }
}

/** Checks the pre-chat survey's answers before they are sent. */
export function validateSurvey(
  fields: readonly SurveyField[],
  values: Readonly<Record<string, string>>,
): SurveyResult {
  const answers: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    const error = problem(field, value);
    if (error) errors[field.key] = error;
    else if (value) answers[field.key] = value;
  }
  return { answers, errors };
}
