import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import type { ExportFormat } from '../../../../src/contracts/exports.ts';
import { withQuery } from '../../api/client.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';

/**
 * Downloads the list with its current filters as CSV or Excel (docs/archive.md § Import and export). Shown only to
 * users holding the export permission; the server checks it again and logs every export.
 */
export function ExportButton({
  area,
  filters,
  selection,
  everyMatching = false,
}: {
  area: 'accounts' | 'contacts' | 'opportunities' | 'activities';
  filters: Record<string, string | undefined>;
  /** The selected rows only (the lists' bulk action): the server narrows the filters to these ids. */
  selection?: readonly number[];
  /** In a list's bulk bar with "all N matching" chosen: the whole filter, labelled as the selection's export. */
  everyMatching?: boolean;
}) {
  const can = useCan();
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  if (!can('export')) return null;
  const download = (format: ExportFormat) => {
    // The file comes in a fixed order (the server pages through it by id): the list's sort is not a filter.
    const { sort: _sort, ...narrowing } = filters;
    const link = document.createElement('a');
    const ids = selection ? { ids: selection.join(',') } : {};
    link.href = `/api/v1${withQuery(`/${area}/export`, { ...narrowing, ...ids, format, lang: locale })}`;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
    message.info(
      selection
        ? t('bulk.done.export', { n: selection.length })
        : t(everyMatching ? 'bulk.done.exportAll' : 'imports.export.started'),
    );
  };
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'xlsx', label: t('imports.export.xlsx') },
          { key: 'csv', label: t('imports.export.csv') },
        ],
        onClick: ({ key }) => download(key as ExportFormat),
      }}
    >
      <Button
        icon={<DownloadOutlined />}
        data-testid={selection || everyMatching ? `bulk-export-${area}` : `export-${area}`}
      >
        {t(selection || everyMatching ? 'bulk.export' : 'imports.export.button')}
      </Button>
    </Dropdown>
  );
}

export default ExportButton;
