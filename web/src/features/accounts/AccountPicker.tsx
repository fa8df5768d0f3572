import { useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useT } from '../../i18n/useI18n.ts';
import { accountQueries } from './api.ts';

/**
 * One account of those the user can see, searched by name (a referrer: the customer who sent
 * this one). The chosen account keeps its name while the search shows others; the account
 * itself is left out (it cannot refer itself).
 */
export function AccountPicker({
  value,
  onChange,
  exclude,
  placeholder,
  testId,
}: {
  value?: number | null;
  onChange?: (accountId: number | null) => void;
  exclude?: number;
  placeholder?: string;
  testId?: string;
}) {
  const [query, setQuery] = useState('');
  const found = useQuery(accountQueries.picker(query));
  const chosen = useQuery(accountQueries.detail(value ?? 0, !!value));
  const options = (found.data?.items ?? [])
    .filter((account) => account.id !== exclude)
    .map((account) => ({
      value: account.id,
      label: account.city ? `${account.name} · ${account.city}` : account.name,
    }));
  if (value && !options.some((option) => option.value === value))
    options.unshift({ value, label: chosen.data?.name ?? `#${value}` });
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setQuery }}
      value={value ?? undefined}
      onChange={(picked: number | undefined) => onChange?.(picked ?? null)}
      loading={found.isFetching}
      placeholder={placeholder}
      options={options}
      data-testid={testId}
    />
  );
}

/** The referrer on an account's page: its name, a link to it (or its number when out of the reader's reach). */
export function ReferrerLink({ accountId }: { accountId: number }) {
  const t = useT();
  const referrer = useQuery({ ...accountQueries.detail(accountId), retry: false });
  if (referrer.isError) return <span>{t('accounts.referrer.outOfReach', { id: accountId })}</span>;
  return (
    <Link to={`/accounts/${accountId}`} data-testid="account-referrer">
      {referrer.data?.name ?? '…'}
    </Link>
  );
}
