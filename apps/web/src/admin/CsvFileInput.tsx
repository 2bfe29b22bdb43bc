import { Input } from '@mantine/core';
import { type ChangeEvent, useId, useRef, useState } from 'react';
import { type CsvHeader, CsvHeaderError, readCsvHeader } from './csvHeader';

export interface CsvFileInputProps {
  label: string;
  description?: string;
  disabled?: boolean;
  /** The chosen file and its header row (read from the file's first bytes only). */
  onRead: (file: File, header: CsvHeader) => void;
  /** No file, or one whose header cannot be read. */
  onClear: () => void;
}

/**
 * Chooses a CSV file and reads its header row in the browser. Windows may call a .csv file
 * application/vnd.ms-excel, so the file's own type is not trusted: the upload sets text/csv.
 */
export function CsvFileInput({ label, description, disabled, onRead, onClear }: CsvFileInputProps) {
  const id = useId();
  const [error, setError] = useState<string | undefined>(undefined);
  /** The latest choice: a slower read of an earlier file is not used. */
  const latest = useRef(0);

  function handleChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    const choice = ++latest.current;
    setError(undefined);
    onClear();
    if (!file) return;
    readCsvHeader(file)
      .then((header) => {
        if (choice === latest.current) onRead(file, header);
      })
      .catch((failure: unknown) => {
        if (choice !== latest.current) return;
        setError(failure instanceof CsvHeaderError ? failure.message : 'The file could not be read.');
      });
  }

  return (
    <Input.Wrapper id={id} label={label} description={description} error={error}>
      <input
        id={id}
        type="file"
        accept=".csv,.txt,text/csv,application/vnd.ms-excel,text/plain"
        disabled={disabled}
        onChange={handleChange}
        style={{ display: 'block', marginTop: 4, fontSize: 'var(--mantine-font-size-sm)' }}
      />
    </Input.Wrapper>
  );
}
