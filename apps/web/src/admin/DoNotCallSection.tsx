import {
  Alert,
  Button,
  Group,
  Loader,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { ApiError } from '@parley/client';
import { type DoNotCallPage, LEAD_CSV_CONTENT_TYPE } from '@parley/contract';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { CsvFileInput } from './CsvFileInput';
import {
  CSV_DELIMITERS,
  type CsvDelimiter,
  type CsvHeader,
  CsvHeaderError,
  readCsvHeader,
} from './csvHeader';
import { ImportProgress } from './ImportProgress';
import { describeImportError } from './importErrors';
import {
  type DoNotCallMapping,
  doNotCallImportQuery,
  guessDoNotCallMapping,
  mappableColumns,
} from './leadImportMapping';
import { isRunning, useImportJob } from './useImportJob';

/** Numbers shown a page. */
export const DO_NOT_CALL_PAGE_SIZE = 50;

export interface DoNotCallSectionProps {
  workspaceId: string;
  canEdit: boolean;
  onSessionExpired: () => void;
}

const added = (iso: string) => new Date(iso).toLocaleDateString();

/** The workspace's do-not-call list, a page at a time: add a number, remove one, import a CSV of numbers. */
export function DoNotCallSection({ workspaceId, canEdit, onSessionExpired }: DoNotCallSectionProps) {
  /** The `after` of each page up to the one shown (the first page's is undefined). */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<DoNotCallPage | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | undefined>(undefined);
  const after = cursors[cursors.length - 1];

  const fail = useCallback(
    (failure: unknown, lead = '') => {
      if (failure instanceof ApiError && failure.status === 401) onSessionExpired();
      else setError(`${lead}${describeImportError(failure)}`);
    },
    [onSessionExpired],
  );

  const load = useCallback(() => {
    api
      .doNotCall(workspaceId)
      .list({ limit: String(DO_NOT_CALL_PAGE_SIZE), ...(after && { after }) })
      .then(setPage)
      .catch((failure: unknown) => fail(failure, 'The do-not-call list could not be read. '));
  }, [workspaceId, after, fail]);

  useEffect(() => {
    load();
  }, [load]);

  const firstPage = useCallback(() => {
    setCursors((current) => (current.length === 1 ? current : [undefined]));
    // On the first page already: read it again.
    if (cursors.length === 1) load();
  }, [cursors.length, load]);

  function handleAdd(event: FormEvent) {
    event.preventDefault();
    const trimmed = number.trim();
    if (!trimmed) return;
    setAdding(true);
    setError(undefined);
    setNotice(undefined);
    api
      .doNotCall(workspaceId)
      .add({ number: trimmed, ...(reason.trim() && { reason: reason.trim() }) })
      .then((entry) => {
        setNumber('');
        setReason('');
        setNotice(`${entry.number} is on the do-not-call list.`);
        load();
      })
      .catch((failure: unknown) => fail(failure, 'The number was not added. '))
      .finally(() => setAdding(false));
  }

  function handleRemove(entry: string) {
    setRemoving(entry);
    setError(undefined);
    setNotice(undefined);
    api
      .doNotCall(workspaceId)
      .remove(entry)
      .then(() => {
        setNotice(`${entry} was removed from the do-not-call list.`);
        load();
      })
      .catch((failure: unknown) => fail(failure, `${entry} was not removed. `))
      .finally(() => setRemoving(undefined));
  }

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Numbers on this list are never dialled by any campaign of the workspace.
      </Text>
      {canEdit && (
        <Group component="form" align="flex-end" onSubmit={handleAdd} aria-label="Add a number">
          <TextInput
            label="Number"
            placeholder="+44 20 7946 0000"
            value={number}
            maxLength={40}
            onChange={(event) => setNumber(event.currentTarget.value)}
          />
          <TextInput
            label="Reason"
            placeholder="Optional"
            value={reason}
            maxLength={200}
            onChange={(event) => setReason(event.currentTarget.value)}
            w={280}
          />
          <Button type="submit" loading={adding} disabled={!number.trim()}>
            Add number
          </Button>
        </Group>
      )}
      {notice && (
        <Text size="sm" role="status">
          {notice}
        </Text>
      )}
      {error && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setError(undefined)}
        >
          {error}
        </Alert>
      )}
      {page === undefined && !error && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Loading the do-not-call list…</Text>
        </Group>
      )}
      {page && (
        <Table aria-label="Do-not-call numbers" withTableBorder bg="white" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Added</Table.Th>
              {canEdit && (
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.entries.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={canEdit ? 4 : 3}>
                  <Text size="sm" c="dimmed">
                    {cursors.length === 1 ? 'No numbers on the do-not-call list.' : 'No more numbers.'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {page.entries.map((entry) => (
              <Table.Tr key={entry.number}>
                <Table.Td>{entry.number}</Table.Td>
                <Table.Td>{entry.reason}</Table.Td>
                <Table.Td>{added(entry.createdAt)}</Table.Td>
                {canEdit && (
                  <Table.Td ta="right">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${entry.number}`}
                      loading={removing === entry.number}
                      onClick={() => handleRemove(entry.number)}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {page && (cursors.length > 1 || page.next) && (
        <Group gap="xs">
          <Button
            variant="default"
            size="compact-sm"
            disabled={cursors.length === 1}
            onClick={() => setCursors((current) => current.slice(0, -1))}
          >
            Previous page
          </Button>
          <Text size="sm">Page {cursors.length}</Text>
          <Button
            variant="default"
            size="compact-sm"
            disabled={!page.next}
            onClick={() => {
              const next = page.next;
              if (next) setCursors((current) => [...current, next]);
            }}
          >
            Next page
          </Button>
        </Group>
      )}
      <DoNotCallImport
        workspaceId={workspaceId}
        canEdit={canEdit}
        onFinished={firstPage}
        onSessionExpired={onSessionExpired}
      />
    </Stack>
  );
}

interface DoNotCallImportProps {
  workspaceId: string;
  canEdit: boolean;
  onFinished: () => void;
  onSessionExpired: () => void;
}

interface Chosen {
  file: File;
  header: CsvHeader;
  mapping: DoNotCallMapping;
}

/** A CSV of numbers added to the do-not-call list as a job, with its progress and report; its last import. */
function DoNotCallImport({ workspaceId, canEdit, onFinished, onSessionExpired }: DoNotCallImportProps) {
  const [chosen, setChosen] = useState<Chosen | undefined>(undefined);
  const [inputKey, setInputKey] = useState(0);
  const [rows, setRows] = useState<CsvHeader['rows']>(undefined);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const imports = useImportJob(workspaceId, onFinished, onSessionExpired);
  const { follow } = imports;

  useEffect(() => {
    let cancelled = false;
    api
      .doNotCall(workspaceId)
      .imports()
      .then((all) => {
        if (!cancelled) follow(all[0]);
      })
      .catch((failure: unknown) => {
        if (!cancelled && failure instanceof ApiError && failure.status === 401) onSessionExpired();
      });
    return () => {
      cancelled = true;
    };
  }, [workspaceId, follow, onSessionExpired]);

  if (!canEdit && !imports.job) return null;
  const running = imports.job !== undefined && isRunning(imports.job);
  const columns = chosen ? mappableColumns(chosen.header) : [];

  function handleDelimiter(delimiter: CsvDelimiter) {
    if (!chosen) return;
    const { file } = chosen;
    readCsvHeader(file, delimiter)
      .then((header) => setChosen({ file, header, mapping: guessDoNotCallMapping(header) }))
      .catch((failure: unknown) =>
        setError(failure instanceof CsvHeaderError ? failure.message : 'The file could not be read.'),
      );
  }

  function handleImport() {
    if (!chosen) return;
    const { file, header, mapping } = chosen;
    setStarting(true);
    setError(undefined);
    api
      .doNotCall(workspaceId)
      .importCsv(file.slice(0, file.size, LEAD_CSV_CONTENT_TYPE), doNotCallImportQuery(mapping))
      .then((job) => {
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
    <Paper withBorder p="md" component="section" aria-label="Import numbers">
      <Stack gap="md">
        <Title order={2} fz="md">
          {canEdit ? 'Import numbers' : 'Last import'}
        </Title>
        {canEdit && (
          <>
            <CsvFileInput
              key={inputKey}
              label="CSV of numbers"
              description="A header row, then one number a row; a reason column is optional."
              disabled={starting}
              onRead={(file, header) => {
                setError(undefined);
                setChosen({ file, header, mapping: guessDoNotCallMapping(header) });
              }}
              onClear={() => setChosen(undefined)}
            />
            {chosen && (
              <Group align="flex-end">
                <NativeSelect
                  label="Number column"
                  value={chosen.mapping.number}
                  onChange={(event) =>
                    setChosen({
                      ...chosen,
                      mapping: { ...chosen.mapping, number: event.currentTarget.value },
                    })
                  }
                  data={columns.map((c) => ({ value: c, label: c }))}
                  w={220}
                />
                <NativeSelect
                  label="Reason column"
                  value={chosen.mapping.reason}
                  onChange={(event) =>
                    setChosen({
                      ...chosen,
                      mapping: { ...chosen.mapping, reason: event.currentTarget.value },
                    })
                  }
                  data={[
                    { value: '', label: 'None' },
                    ...columns
                      .filter((c) => c !== chosen.mapping.number)
                      .map((c) => ({ value: c, label: c })),
                  ]}
                  w={220}
                />
                <NativeSelect
                  label="Column separator"
                  value={chosen.mapping.delimiter}
                  onChange={(event) => handleDelimiter(event.currentTarget.value as CsvDelimiter)}
                  data={CSV_DELIMITERS}
                  w={180}
                />
                <Button
                  onClick={handleImport}
                  loading={starting}
                  disabled={running || !chosen.mapping.number}
                >
                  Import numbers
                </Button>
              </Group>
            )}
          </>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {imports.job && (
          <ImportProgress job={imports.job} rows={rows} canDownload={canEdit} pollError={imports.pollError} />
        )}
      </Stack>
    </Paper>
  );
}
