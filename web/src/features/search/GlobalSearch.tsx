import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button, Empty, Flex, Grid, Input, Modal, Spin, Tag, Typography, type InputRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useI18n } from '../../i18n/useI18n.ts';
import { formatFen } from '../../i18n/money.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useSearch } from './api.ts';

interface Hit {
  key: string;
  href: string;
  title: string;
  detail: ReactNode;
}
interface Group {
  kind: 'accounts' | 'contacts' | 'opportunities';
  total: number;
  capped: boolean;
  hits: Hit[];
  listHref: string;
}

/** The typed text, settled for 200 ms: one request per pause, not per key. */
function useSettled(value: string, ms = 200) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

/**
 * Global search (docs/search.md): a box in the header — a button opening a full-width dialog
 * on a phone — reachable from anywhere with `/` or Ctrl/⌘-K; results grouped by kind, chosen
 * with the arrow keys and opened with Enter.
 */
export function GlobalSearch() {
  const { t } = useI18n();
  const mobile = !Grid.useBreakpoint().md;
  const [open, setOpen] = useState(false);
  const input = useRef<InputRef>(null);

  useEffect(() => {
    const onKey = (keyboardEvent: globalThis.KeyboardEvent) => {
      const target = keyboardEvent.target as HTMLElement | null;
      const typing =
        target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (
        (keyboardEvent.key === 'k' && (keyboardEvent.ctrlKey || keyboardEvent.metaKey)) ||
        (keyboardEvent.key === '/' && !typing)
      ) {
        keyboardEvent.preventDefault();
        setOpen(true);
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (mobile) {
    return (
      <>
        <Button
          type="text"
          style={{ marginLeft: 'auto' }}
          aria-label={t('search.open')}
          icon={<SearchOutlined />}
          onClick={() => setOpen(true)}
          data-testid="search-open"
        />
        <Modal
          open={open}
          onCancel={() => setOpen(false)}
          footer={null}
          closable={false}
          width="100%"
          style={{ top: 8, maxWidth: 'calc(100vw - 16px)', paddingBottom: 0 }}
          destroyOnHidden
          afterOpenChange={(o) => o && input.current?.focus()}
        >
          <SearchBox inputRef={input} onClose={() => setOpen(false)} panelOpen />
        </Modal>
      </>
    );
  }
  return (
    <div style={{ position: 'relative', flex: '0 1 360px', minWidth: 160, marginLeft: 'auto' }}>
      <SearchBox
        inputRef={input}
        onClose={() => setOpen(false)}
        panelOpen={open}
        onFocus={() => setOpen(true)}
        floating
      />
    </div>
  );
}

function SearchBox({
  inputRef,
  onClose,
  panelOpen,
  onFocus,
  floating,
}: {
  inputRef: React.RefObject<InputRef | null>;
  onClose: () => void;
  panelOpen: boolean;
  onFocus?: () => void;
  floating?: boolean;
}) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const query = useSettled(text.trim());
  const { data, isFetching, isError } = useSearch(query);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  const groups = useMemo<Group[]>(() => {
    if (!data || !query) return [];
    const out: Group[] = [];
    const list = (path: string) => `${path}?q=${encodeURIComponent(data.q)}`;
    if (data.accounts?.items.length)
      out.push({
        kind: 'accounts',
        total: data.accounts.total,
        capped: data.accounts.capped,
        listHref: list('/accounts'),
        hits: data.accounts.items.map((item) => ({
          key: `a${item.id}`,
          href: `/accounts/${item.id}`,
          title: item.name,
          detail: (
            <>
              {item.tier !== 'none' && <Tag>{item.tier}</Tag>}
              {item.inPool ? t('search.pool') : [item.city, item.ownerName].filter(Boolean).join(' · ')}
            </>
          ),
        })),
      });
    if (data.contacts?.items.length)
      out.push({
        kind: 'contacts',
        total: data.contacts.total,
        capped: data.contacts.capped,
        listHref: list('/contacts'),
        hits: data.contacts.items.map((item) => ({
          key: `c${item.id}`,
          href: `/accounts/${item.accountId}`,
          title: item.name,
          detail: [item.title, item.accountName].filter(Boolean).join(' · '),
        })),
      });
    if (data.opportunities?.items.length)
      out.push({
        kind: 'opportunities',
        total: data.opportunities.total,
        capped: data.opportunities.capped,
        listHref: list('/opportunities/list'),
        hits: data.opportunities.items.map((item) => ({
          key: `o${item.id}`,
          href: `/opportunities/${item.id}`,
          title: item.name,
          detail: `${t(`opps.status.${item.status}` as MessageKey)} · ${formatFen(item.amount, locale)} · ${item.accountName}`,
        })),
      });
    return out;
  }, [data, query, t, locale]);
  const hits = groups.flatMap((g) => g.hits);
  useEffect(() => setActive(0), [data]);

  // Clicking elsewhere closes the floating panel.
  useEffect(() => {
    if (!floating || !panelOpen) return;
    const away = (mouseEvent: MouseEvent) => {
      if (box.current && !box.current.contains(mouseEvent.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [floating, panelOpen, onClose]);

  const go = (href: string) => {
    onClose();
    setText('');
    inputRef.current?.blur();
    void navigate(href);
  };
  const onKeyDown = (keyboardEvent: KeyboardEvent) => {
    if (keyboardEvent.key === 'ArrowDown' || keyboardEvent.key === 'ArrowUp') {
      keyboardEvent.preventDefault();
      if (hits.length) setActive((a) => (a + (keyboardEvent.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
    } else if (keyboardEvent.key === 'Enter' && hits[active]) {
      keyboardEvent.preventDefault();
      go(hits[active].href);
    } else if (keyboardEvent.key === 'Escape') {
      onClose();
      inputRef.current?.blur();
    }
  };

  let body: ReactNode;
  if (!query)
    body = (
      <Typography.Paragraph type="secondary" style={{ margin: 0, padding: 12 }}>
        {t('search.hint')}
        <br />
        {t('search.shortcut')}
      </Typography.Paragraph>
    );
  else if (isError)
    body = (
      <Typography.Paragraph type="danger" style={{ margin: 0, padding: 12 }}>
        {t('search.failed')}
      </Typography.Paragraph>
    );
  else if (!data)
    body = (
      <Flex justify="center" style={{ padding: 16 }}>
        <Spin />
      </Flex>
    );
  else if (!groups.length)
    body = (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={t('search.empty', { q: query })}
        style={{ padding: 12 }}
      />
    );
  else {
    let indexValue = -1;
    body = (
      <div role="listbox" aria-label={t('search.placeholder')}>
        {groups.map((group) => (
          <div key={group.kind} data-testid={`search-group-${group.kind}`}>
            <Flex justify="space-between" align="baseline" style={{ padding: '8px 12px 4px' }}>
              <Typography.Text type="secondary" strong>
                {t(`search.group.${group.kind}`)} ·{' '}
                {t(group.capped ? 'search.countCapped' : 'search.count', { n: group.total })}
              </Typography.Text>
              {group.total > group.hits.length && (
                <Typography.Link onMouseDown={(e) => e.preventDefault()} onClick={() => go(group.listHref)}>
                  {t('search.viewAll')}
                </Typography.Link>
              )}
            </Flex>
            {group.hits.map((hit) => {
              indexValue++;
              const index = indexValue;
              return (
                <div
                  key={hit.key}
                  role="option"
                  aria-selected={index === active}
                  onMouseEnter={() => setActive(index)}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => go(hit.href)}
                  style={{
                    padding: '6px 12px',
                    cursor: 'pointer',
                    background: index === active ? '#eff6ff' : undefined,
                    borderLeft: index === active ? '3px solid #2563eb' : '3px solid transparent',
                  }}
                >
                  <Typography.Text ellipsis style={{ display: 'block' }}>
                    {hit.title}
                  </Typography.Text>
                  <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
                    {hit.detail}
                  </Typography.Text>
                </div>
              );
            })}
          </div>
        ))}
        <Typography.Text
          type="secondary"
          style={{ display: 'block', padding: '6px 12px', fontSize: 12, borderTop: '1px solid #f0f0f0' }}
        >
          {t('search.keys')}
        </Typography.Text>
      </div>
    );
  }

  return (
    <div ref={box}>
      <Input
        ref={inputRef}
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        onFocus={onFocus}
        onKeyDown={onKeyDown}
        placeholder={t('search.placeholder')}
        prefix={<SearchOutlined />}
        suffix={
          isFetching ? (
            <Spin size="small" />
          ) : floating ? (
            <Typography.Text keyboard type="secondary">
              /
            </Typography.Text>
          ) : undefined
        }
        aria-label={t('search.placeholder')}
        data-testid="search-input"
        maxLength={100}
      />
      {panelOpen && (
        <div
          data-testid="search-panel"
          // Which text the shown results answer, so a reader (or a test) can tell stale from settled.
          data-results-for={isFetching ? undefined : data?.q}
          style={
            floating
              ? {
                  position: 'absolute',
                  top: 'calc(100% + 4px)',
                  left: 0,
                  width: 'max(100%, 420px)',
                  maxHeight: '70vh',
                  overflow: 'auto',
                  background: '#fff',
                  borderRadius: 8,
                  boxShadow: '0 8px 24px rgba(15,23,42,0.16)',
                  zIndex: 1000,
                  lineHeight: 1.5,
                }
              : { marginTop: 8, maxHeight: '75vh', overflow: 'auto', lineHeight: 1.5 }
          }
        >
          {body}
        </div>
      )}
    </div>
  );
}
