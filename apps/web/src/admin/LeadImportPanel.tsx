import { Alert, Button, CloseButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { ApiError } from '@parley/client';
import { LEAD_CSV_CONTENT_TYPE, type LeadImport, type LeadList } from '@parley/contract';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { CsvFileInput } from './CsvFileInput';
import { type CsvDelimiter, type CsvHeader, CsvHeaderError, readCsvHeader } from './csvHeader';
import { ImportProgress } from './ImportProgress';
import { describeImportError } from './importErrors';
import { LeadColumnMapping } from './LeadColumnMapping';
import { guessLeadMapping, headerProblem, type LeadMapping, leadImportQuery } from './leadImportMapping';
import { isRunning, useImportJob } from './useImportJob';

export interface LeadImportPanelProps {
  workspaceId: string;
  list: LeadList;
  /** Administrators import; managers see the list's last import. */
  canEdit: boolean;
  /** An import into the list has ended (its lead count has changed). */
  onFinished: () => void;
  onClose: () => void;
  onSessionExpired: () => void;
}

interface Chosen {
  file: File;
  header: CsvHeader;
  mapping: LeadMapping;
}

/**
 * A CSV import into one lead list: choose the file, map its columns from its header row (read in
 * the browser), upload it, and follow the job to its summary and report. Shows the list's last
 * import, and follows it if it is still running.
 */
export function LeadImportPanel({
  workspaceId,
  list,
  canEdit,
  onFinished,
  onClose,
  onSessionExpired,
}: LeadImportPanelProps) {
  const [chosen, setChosen] = useState<Chosen | undefined>(undefined);
  /** A new file input after each upload, so the same file is not sent twice by mistake. */
  const [inputKey, setInputKey] = useState(0);
  const [rows, setRows] = useState<CsvHeader['rows']>(undefined);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const imports = useImportJob(workspaceId, onFinished, onSessionExpired);
  const { follow } = imports;

  useEffect(() => {
    let cancelled = false;
    api
      .leadLists(workspaceId)
      .imports(list.id)
      .then((all) => {
        if (!cancelled) follow(all[0]);
      })
      .catch((failure: unknown) => {
        if (cancelled) return;
        if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
        else setError(`The list's imports could not be read. ${describeImportError(failure)}`);
      });
    return () => {
      cancelled = true;
    };
  }, [workspaceId, list.id, follow, onSessionExpired]);

  const title = canEdit ? `Import into ${list.name}` : `Imports into ${list.name}`;
  const running = imports.job !== undefined && isRunning(imports.job);
  const problem = chosen && headerProblem(chosen.header);
  const canImport =
    chosen !== undefined && !problem && chosen.mapping.phone.length > 0 && !running && !starting;

  function handleDelimiter(delimiter: CsvDelimiter) {
    if (!chosen) return;
    const { file } = chosen;
    readCsvHeader(file, delimiter)
      .then((header) => setChosen({ file, header, mapping: guessLeadMapping(header) }))
      .catch((failure: unknown) =>
        setError(failure instanceof CsvHeaderError ? failure.message : 'The file could not be read.'),
      );
  }

  function handleImport() {
    if (!chosen) return;
    const { file, header, mapping } = chosen;
    setStarting(true);
    setError(undefined);
    // The body says text/csv whatever the browser thinks the file is (Windows: application/vnd.ms-excel).
    const body = file.slice(0, file.size, LEAD_CSV_CONTENT_TYPE);
    api
      .leadLists(workspaceId)
      .importCsv(list.id, body, leadImportQuery(mapping))
      .then((job: LeadImport) => {
        setRows(header.rows);
        follow(job);
        setChosen(undefined);
        setInputKey((k) => k + 1);
        if (!isRunning(job)) onFinished();
      })
      .catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
        else setError(describeImportError(failure));
      })
      .finally(() => setStarting(false));
  }

  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} fz="md">
            {title}
          </Title>
          <CloseButton aria-label="Close import" onClick={onClose} />
        </Group>
        {canEdit && (
          <>
            <Text size="sm" c="dimmed">
              The first row of the file names its columns; each row after it is a lead. Only the first row is
              read here: the whole file is read on the server once you import it.
            </Text>
            <CsvFileInput
              key={inputKey}
              label="CSV file"
              disabled={starting}
              onRead={(file, header) => {
                setError(undefined);
                setChosen({ file, header, mapping: guessLeadMapping(header) });
              }}
              onClear={() => setChosen(undefined)}
            />
            {problem && (
              <Alert color="red" role="alert">
                {problem}
              </Alert>
            )}
            {chosen && !problem && (
              <LeadColumnMapping
                header={chosen.header}
                mapping={chosen.mapping}
                onChange={(mapping) => setChosen({ ...chosen, mapping })}
                onDelimiterChange={handleDelimiter}
                disabled={starting}
              />
            )}
            {chosen && (
              <Group>
                <Button onClick={handleImport} disabled={!canImport} loading={starting}>
                  Import
                </Button>
                {!problem && chosen.mapping.phone.length === 0 && (
                  <Text size="sm" c="dimmed">
                    Tick at least one phone number column.
                  </Text>
                )}
                {running && (
                  <Text size="sm" c="dimmed">
                    Wait for the running import to finish.
                  </Text>
                )}
              </Group>
            )}
          </>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {starting && (
          <Text size="sm" role="status">
            Uploading {chosen?.file.name}…
          </Text>
        )}
        {imports.job ? (
          <ImportProgress job={imports.job} rows={rows} canDownload={canEdit} pollError={imports.pollError} />
        ) : (
          !canEdit && (
            <Text size="sm" c="dimmed">
              Nothing has been imported into this list yet.
            </Text>
          )
        )}
      </Stack>
    </Paper>
  );
}
