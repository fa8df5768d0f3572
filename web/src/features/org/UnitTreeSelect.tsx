import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { useI18n } from '../../i18n/useI18n.ts';
import { useOrgUnits } from './api.ts';
import { buildTree, type UnitNode } from './tree.ts';

interface Props extends Omit<TreeSelectProps<number>, 'treeData'> {
  /** Units that may not be chosen (e.g. a unit's own subtree when moving it). */
  disabledIds?: Set<number>;
}

/** Pick an active org unit from the tree; searchable by name. */
export function UnitTreeSelect({ disabledIds, ...props }: Props) {
  const { locale } = useI18n();
  const units = useOrgUnits(false);
  const treeData = useMemo(() => {
    const collator = new Intl.Collator(locale);
    const toOption = (node: UnitNode): NonNullable<TreeSelectProps['treeData']>[number] => ({
      value: node.unit.id,
      title: node.unit.name,
      disabled: disabledIds?.has(node.unit.id),
      children: node.children.map(toOption),
    });
    return buildTree(units.data ?? [], collator).map(toOption);
  }, [units.data, disabledIds, locale]);

  return (
    <TreeSelect<number>
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      loading={units.isPending}
      treeData={treeData}
      listHeight={360}
      {...props}
    />
  );
}
