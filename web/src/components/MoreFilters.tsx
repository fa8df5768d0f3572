import { Badge, Button, Flex, Popover } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useT } from '../i18n/useI18n.ts';

/**
 * A list's less-used filters in a pop-over under a "More filters" button that counts those set,
 * as Pipedrive and HubSpot keep theirs, so the bar fits one row at 1440 px (the board, the
 * opportunity list, the accounts: test/e2e/board-filters.test.ts, test/e2e/list-filter-bars.test.ts).
 */
export function MoreFilters({
  count,
  testId,
  children,
}: {
  /** How many of the filters inside are set: out of sight, so counted on the button. */
  count: number;
  /** The button's test id; the panel's is the same with "-panel". */
  testId: string;
  children: React.ReactNode;
}) {
  const t = useT();
  return (
    <Popover
      trigger="click"
      placement="bottomLeft"
      content={
        <Flex vertical gap={8} style={{ width: 260 }} data-testid={`${testId}-panel`}>
          {children}
        </Flex>
      }
    >
      <Badge count={count} size="small">
        <Button icon={<FilterOutlined />} data-testid={testId}>
          {t('common.moreFilters')}
        </Button>
      </Badge>
    </Popover>
  );
}
