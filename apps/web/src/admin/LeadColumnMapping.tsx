import { ActionIcon, Checkbox, Fieldset, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { LEAD_MAX_PHONE_COLUMNS } from '@parley/contract';
import IconArrowDown from '@tabler/icons-react/icons/IconArrowDown';
import IconArrowUp from '@tabler/icons-react/icons/IconArrowUp';
import { useId } from 'react';
import { CSV_DELIMITERS, type CsvDelimiter, type CsvHeader } from './csvHeader';
import { type LeadMapping, mappableColumns, movePhone, togglePhone } from './leadImportMapping';

export interface LeadColumnMappingProps {
  header: CsvHeader;
  mapping: LeadMapping;
  onChange: (mapping: LeadMapping) => void;
  /** Another separator: the header is read again with it. */
  onDelimiterChange: (delimiter: CsvDelimiter) => void;
  disabled?: boolean;
}

/**
 * The file's columns as its header names them: which are phone numbers (in calling order),
 * which holds the time zone and which the priority; every other named column becomes a lead field.
 */
export function LeadColumnMapping({
  header,
  mapping,
  onChange,
  onDelimiterChange,
  disabled,
}: LeadColumnMappingProps) {
  const orderId = useId();
  const columns = mappableColumns(header);
  const sampleOf = (column: string) => header.sample?.[header.columns.indexOf(column)]?.trim();
  const full = mapping.phone.length >= LEAD_MAX_PHONE_COLUMNS;
  const others = columns.filter((c) => !mapping.phone.includes(c));
  const fields = others.filter((c) => c !== mapping.timeZone && c !== mapping.priority);

  return (
    <Stack gap="md">
      <NativeSelect
        label="Column separator"
        value={mapping.delimiter}
        disabled={disabled}
        onChange={(event) => onDelimiterChange(event.currentTarget.value as CsvDelimiter)}
        data={CSV_DELIMITERS}
        w={220}
      />
      <Fieldset legend="Phone number columns" disabled={disabled}>
        <Text size="sm" c="dimmed" mb="xs">
          Tick each column that holds a phone number (at most {LEAD_MAX_PHONE_COLUMNS}). A lead's numbers are
          called in the order below.
        </Text>
        <Stack gap={6}>
          {columns.map((column) => {
            const sample = sampleOf(column);
            const checked = mapping.phone.includes(column);
            return (
              <Checkbox
                key={column}
                label={column}
                description={sample ? `First row: ${sample}` : undefined}
                checked={checked}
                disabled={disabled || (full && !checked)}
                onChange={(event) => onChange(togglePhone(mapping, column, event.currentTarget.checked))}
              />
            );
          })}
        </Stack>
      </Fieldset>
      {mapping.phone.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id={orderId}>
            Calling order
          </Text>
          <Stack component="ol" gap={4} m={0} pl="md" aria-labelledby={orderId}>
            {mapping.phone.map((column, index) => (
              <Group component="li" key={column} gap="xs">
                <Text size="sm" miw={160}>
                  {column}
                </Text>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  aria-label={`Move ${column} up`}
                  disabled={disabled || index === 0}
                  onClick={() => onChange(movePhone(mapping, column, -1))}
                >
                  <IconArrowUp size={14} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  aria-label={`Move ${column} down`}
                  disabled={disabled || index === mapping.phone.length - 1}
                  onClick={() => onChange(movePhone(mapping, column, 1))}
                >
                  <IconArrowDown size={14} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        </Stack>
      )}
      <Group align="flex-start">
        <NativeSelect
          label="Time-zone column"
          description="IANA zones such as Europe/London"
          value={mapping.timeZone}
          disabled={disabled}
          onChange={(event) => onChange({ ...mapping, timeZone: event.currentTarget.value })}
          data={[
            { value: '', label: 'None: from each number' },
            ...others.filter((c) => c !== mapping.priority).map((c) => ({ value: c, label: c })),
          ]}
          w={260}
        />
        <NativeSelect
          label="Priority column"
          description="Whole numbers, higher called first"
          value={mapping.priority}
          disabled={disabled}
          onChange={(event) => onChange({ ...mapping, priority: event.currentTarget.value })}
          data={[
            { value: '', label: 'None' },
            ...others.filter((c) => c !== mapping.timeZone).map((c) => ({ value: c, label: c })),
          ]}
          w={260}
        />
      </Group>
      <Text size="sm" c="dimmed">
        {fields.length > 0
          ? `Kept as lead fields: ${fields.join(', ')}.`
          : 'No other columns: the leads have no fields besides their numbers.'}
      </Text>
    </Stack>
  );
}
