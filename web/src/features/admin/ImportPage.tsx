import { Alert, Button, Checkbox, Group, Input, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fact, FactList } from '../../components/Fact.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import type { ImportReport } from '../../types.ts';

/** Upload a CSV of citizens into the registry and show the import report. */
export function ImportPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.import'));
  const inputId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(true);
  const [fileError, setFileError] = useState<string>();
  const upload = useMutation({ mutationFn: (f: File) => api.importCitizens(f, skipInvalid) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setFileError(t('import.chooseFile'));
      fileInput.current?.focus();
      return;
    }
    upload.mutate(file);
  };

  return (
    <Stack gap="lg" maw={960}>
      <Title order={1}>{t('nav.import')}</Title>
      <Text c="dimmed">{t('import.intro')}</Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Input.Wrapper
            label={t('import.file')}
            description={t('import.fileHelp')}
            error={fileError}
            withAsterisk
            labelProps={{ htmlFor: inputId }}
          >
            <input
              ref={fileInput}
              id={inputId}
              type="file"
              name="file"
              accept=".csv,text/csv"
              aria-invalid={Boolean(fileError)}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setFileError(undefined);
                upload.reset();
              }}
              style={{ display: 'block', marginTop: 6 }}
            />
          </Input.Wrapper>
          <Checkbox
            label={t('import.skipInvalid')}
            description={t('import.skipInvalidHelp')}
            checked={skipInvalid}
            onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={upload.isPending}>
              {t('import.upload')}
            </Button>
          </Group>
        </Stack>
      </form>
      {upload.isError ? <ErrorAlert error={upload.error} /> : null}
      {upload.isSuccess ? <Report report={upload.data} /> : null}
    </Stack>
  );
}

function Report({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  return (
    <Section title={t('import.report')}>
      <Stack>
        <Alert color={report.rejected > 0 ? 'orange' : 'green'} variant="light" role="status">
          {t('import.summary', { imported: report.imported, rejected: report.rejected })}
        </Alert>
        <FactList cols={2}>
          <Fact label={t('import.imported')}>{report.imported}</Fact>
          <Fact label={t('import.rejected')}>{report.rejected}</Fact>
        </FactList>
        {report.errors.length ? (
          <DataTable
            caption={t('import.errors')}
            rows={report.errors}
            rowKey={(e) => `${e.line}-${e.field ?? ''}-${e.code}`}
            columns={[
              { key: 'line', header: t('import.line'), render: (e) => e.line },
              { key: 'field', header: t('import.field'), render: (e) => e.field ?? '—' },
              { key: 'code', header: t('import.code'), render: (e) => e.code },
              { key: 'message', header: t('import.message'), render: (e) => e.message },
            ]}
          />
        ) : null}
      </Stack>
    </Section>
  );
}
