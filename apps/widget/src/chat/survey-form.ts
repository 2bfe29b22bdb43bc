import type { SurveyField } from '@parley/contract';
import { h } from './dom';
import { SURVEY_ANSWER_MAX, validateSurvey } from './survey';

const INPUT_TYPE: Record<Exclude<SurveyField['type'], 'choice'>, string> = {
  text: 'text',
  email: 'email',
  phone: 'tel',
};

function autocomplete(field: SurveyField): string | undefined {
  if (field.type === 'email') return 'email';
  if (field.type === 'phone') return 'tel';
  return field.key === 'name' ? 'name' : undefined;
}

function control(field: SurveyField, id: string): HTMLInputElement | HTMLSelectElement {
  const common = {
    id,
    name: field.key,
    required: field.required,
    'aria-describedby': `${id}-error`,
    autocomplete: autocomplete(field),
  };
  if (field.type !== 'choice') {
    return h('input', { ...common, type: INPUT_TYPE[field.type], maxlength: SURVEY_ANSWER_MAX });
  }
  return h(
    'select',
    common,
    h('option', { value: '', text: 'Choose…' }),
    ...(field.options ?? []).map((o) => h('option', { value: o, text: o })),
  );
}

/**
 * The pre-chat survey: one labelled control per field, required ones marked, checked here
 * before the answers go (the platform checks them again).
 */
export function surveyForm(
  fields: readonly SurveyField[],
  busy: boolean,
  onSubmit: (answers: Record<string, string>) => void,
): HTMLFormElement {
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  const rows = fields.map((field, i) => {
    const id = `parley-field-${i}`;
    const input = control(field, id);
    const error = h('div', { class: 'error', id: `${id}-error` });
    controls.set(field.key, input);
    errors.set(field.key, error);
    return h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: id },
        field.label,
        field.required && h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }),
      ),
      input,
      error,
    );
  });
  const submit = h('button', {
    type: 'submit',
    class: 'primary',
    'aria-disabled': String(busy),
    text: 'Start chat',
  });
  const handleSubmit = (event: Event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true') return;
    const values = Object.fromEntries([...controls].map(([key, el]) => [key, el.value]));
    const result = validateSurvey(fields, values);
    let first: HTMLElement | null = null;
    for (const [key, el] of controls) {
      const problem = result.errors[key] ?? '';
      errors.get(key)?.replaceChildren(problem);
      el.setAttribute('aria-invalid', String(Boolean(problem)));
      if (problem) first ??= el;
    }
    if (first) first.focus();
    else onSubmit(result.answers);
  };
  return h(
    'form',
    { class: 'survey', novalidate: true, 'aria-label': 'Before we start', onsubmit: handleSubmit },
    fields.some((f) => f.required) && h('p', { class: 'hint', text: 'Fields marked * are required.' }),
    ...rows,
    submit,
  );
}
