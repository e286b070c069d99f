import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

/**
 * Shows an error to the user: a title for its code and the server's (translated) message, plus
 * any per-field problems that the page does not show next to a field itself.
 */
export function ErrorAlert({
  error,
  title,
  shownFields = [],
}: {
  error: unknown;
  title?: string;
  /** JSON pointers already shown under their inputs (e.g. "/data/income"). */
  shownFields?: string[];
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const heading =
    title ?? (apiError ? t(`errors.${apiError.code}`, { defaultValue: t('errors.generic') }) : t('errors.generic'));
  const message = apiError ? apiError.message : error instanceof Error ? error.message : String(error);
  const rest = (apiError?.details ?? []).filter((d) => !d.field || !shownFields.includes(d.field));
  return (
    <Alert color="red" variant="light" title={heading} role="alert">
      {message !== heading ? message : null}
      {rest.length ? (
        <List size="sm" mt={4}>
          {rest.map((d, i) => (
            <List.Item key={i}>{d.field ? `${d.field}: ${d.message}` : d.message}</List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}
