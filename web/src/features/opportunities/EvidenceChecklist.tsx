import { useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Input, Tag, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useT } from '../../i18n/useI18n.ts';
import { uploadAttachment } from './api.ts';
import type { EvidenceGiven, MissingEvidence, Stage } from './types.ts';

interface ItemState {
  checked: boolean;
  note: string;
  attachmentId: number | null;
  fileName: string | null;
  uploading: boolean;
}
const keyOf = (stageId: number, key: string) => `${stageId}:${key}`;
const blank: ItemState = { checked: false, note: '', attachmentId: null, fileName: null, uploading: false };
const fromGiven = (given: readonly EvidenceGiven[]): Record<string, ItemState> =>
  Object.fromEntries(
    given.map((givenItem) => [
      keyOf(givenItem.stageId, givenItem.key),
      { ...blank, checked: true, note: givenItem.note ?? '', attachmentId: givenItem.attachmentId ?? null },
    ]),
  );

/** Whether two evidence sets say the same, in whatever order. */
export const sameEvidence = (left: readonly EvidenceGiven[], right: readonly EvidenceGiven[]) => {
  const norm = (line: readonly EvidenceGiven[]) =>
    JSON.stringify(
      line
        .map((e) => [e.stageId, e.key, e.note?.trim() || null, e.attachmentId ?? null])
        .sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
    );
  return norm(left) === norm(right);
};

/**
 * The evidence given at a stage gate (docs/sales-process.md), item by item, and what the server last said
 * was missing. `gated` are the stages the move leaves or skips; only their items are sent.
 * `initial` is what was already recorded (the stage's gathered evidence): the list starts from it.
 */
export function useEvidence(gated: Stage[], initial: readonly EvidenceGiven[] = []) {
  const [items, setItems] = useState<Record<string, ItemState>>(() => fromGiven(initial));
  const [missing, setMissing] = useState<MissingEvidence[]>([]);
  const state = (stageId: number, key: string): ItemState => items[keyOf(stageId, key)] ?? blank;
  const patch = (stageId: number, key: string, changes: Partial<ItemState>) => {
    setItems((prev) => ({ ...prev, [keyOf(stageId, key)]: { ...blank, ...prev[keyOf(stageId, key)], ...changes } }));
    // Whatever the server said was missing here is being dealt with: stop showing it in red.
    setMissing((prev) => prev.filter((m) => !(m.stageId === stageId && m.key === key)));
  };
  const complete = (stage: Stage) =>
    stage.evidence.filter((evidenceItem) => {
      const st = state(stage.id, evidenceItem.key);
      return (
        st.checked &&
        (evidenceItem.requires !== 'note' || st.note.trim() !== '') &&
        (evidenceItem.requires !== 'attachment' || st.attachmentId !== null)
      );
    }).length;
  const given = (): EvidenceGiven[] =>
    gated.flatMap((stage) =>
      stage.evidence
        .filter((e) => state(stage.id, e.key).checked)
        .map((evidenceItem) => ({
          stageId: stage.id,
          key: evidenceItem.key,
          note: state(stage.id, evidenceItem.key).note.trim() || null,
          attachmentId: state(stage.id, evidenceItem.key).attachmentId,
        })),
    );
  /** Ticked items still without the note or file they ask for, as the server would say it. */
  const unmet = (): MissingEvidence[] =>
    gated.flatMap((stage) =>
      stage.evidence.flatMap((evidenceItem) => {
        const st = state(stage.id, evidenceItem.key);
        const problem = !st.checked
          ? null
          : evidenceItem.requires === 'note' && !st.note.trim()
            ? 'note_required'
            : evidenceItem.requires === 'attachment' && st.attachmentId === null
              ? 'attachment_required'
              : null;
        return problem
          ? [
              {
                stageId: stage.id,
                stageName: stage.name,
                key: evidenceItem.key,
                label: evidenceItem.label,
                problem,
              } as const,
            ]
          : [];
      }),
    );
  return {
    state,
    patch,
    missing,
    setMissing,
    given,
    unmet,
    total: gated.reduce((n, s) => n + s.evidence.length, 0),
    done: gated.reduce((n, s) => n + complete(s), 0),
  };
}

export type EvidenceState = ReturnType<typeof useEvidence>;

/**
 * The checklist of the gated stages' evidence, with the server's missing items in red beside them.
 * `compact`: one stage without its heading (the stage panel); `readOnly`: what is recorded, for those who may not change it.
 */
export function EvidenceChecklist({
  gated,
  ev,
  compact = false,
  readOnly = false,
}: {
  gated: Stage[];
  ev: EvidenceState;
  compact?: boolean;
  readOnly?: boolean;
}) {
  const t = useT();
  const { message } = App.useApp();
  const problemText = (m: MissingEvidence) => t(`opps.move.missing.${m.problem}`);
  const missingFor = (stageId: number, key: string) => ev.missing.find((m) => m.stageId === stageId && m.key === key);
  return (
    <>
      {/* The panel marks each item in place; the dialog also sums up why the move was refused. */}
      {!compact && ev.missing.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="evidence-missing"
          message={t('opps.move.missingTitle', { n: ev.missing.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {ev.missing.map((missingItem) => (
                <li key={`${missingItem.stageId}:${missingItem.key}`}>
                  {missingItem.stageName} · {missingItem.label} — {problemText(missingItem)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {gated.map((stage) => (
        <div key={stage.id} style={{ marginBottom: compact ? 8 : 16 }} data-testid={`gate-${stage.id}`}>
          {!compact && (
            <Flex justify="space-between" align="baseline" style={{ marginBottom: 6 }}>
              <Typography.Text strong>{t('opps.move.evidenceOf', { stage: stage.name })}</Typography.Text>
              {stage.milestone && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('opps.stage.milestone')}: {stage.milestone}
                </Typography.Text>
              )}
            </Flex>
          )}
          {stage.evidence.length === 0 && (
            <Typography.Text type="secondary">{t('opps.move.noEvidence')}</Typography.Text>
          )}
          <Flex vertical gap={compact ? 6 : 8}>
            {stage.evidence.map((evidenceItem) => {
              const st = ev.state(stage.id, evidenceItem.key);
              const miss = missingFor(stage.id, evidenceItem.key);
              return (
                <div
                  key={evidenceItem.key}
                  style={{
                    padding: compact ? '6px 10px' : '8px 12px',
                    borderRadius: 8,
                    border: `1px solid ${miss ? '#fca5a5' : st.checked ? '#bbf7d0' : '#e5e7eb'}`,
                    background: miss ? '#fef2f2' : st.checked ? '#f0fdf4' : '#fff',
                  }}
                >
                  <Flex justify="space-between" align="center" gap={8}>
                    <Checkbox
                      checked={st.checked}
                      disabled={readOnly}
                      onChange={(x) => ev.patch(stage.id, evidenceItem.key, { checked: x.target.checked })}
                      data-testid={`evidence-${evidenceItem.key}`}
                    >
                      {evidenceItem.label}
                    </Checkbox>
                    {evidenceItem.requires !== 'check' && (
                      <Tag color={evidenceItem.requires === 'note' ? 'blue' : 'geekblue'} style={{ margin: 0 }}>
                        {t(`opps.evidence.requires.${evidenceItem.requires}`)}
                      </Tag>
                    )}
                  </Flex>
                  {readOnly && st.note && (
                    <Typography.Paragraph
                      type="secondary"
                      style={{ margin: '4px 0 0', fontSize: 13, whiteSpace: 'pre-wrap' }}
                      data-testid={`evidence-note-${evidenceItem.key}`}
                    >
                      {st.note}
                    </Typography.Paragraph>
                  )}
                  {!readOnly && evidenceItem.requires === 'note' && (
                    <Input.TextArea
                      autoSize={{ minRows: 1, maxRows: 4 }}
                      style={{ marginTop: 6 }}
                      placeholder={t('opps.move.notePlaceholder')}
                      value={st.note}
                      maxLength={2000}
                      status={miss?.problem === 'note_required' ? 'error' : undefined}
                      onChange={(changeEvent) =>
                        ev.patch(stage.id, evidenceItem.key, {
                          note: changeEvent.target.value,
                          checked: st.checked || changeEvent.target.value.trim() !== '',
                        })
                      }
                      data-testid={`evidence-note-${evidenceItem.key}`}
                    />
                  )}
                  {readOnly && st.attachmentId !== null && <FileLink id={st.attachmentId} name={st.fileName} />}
                  {!readOnly && evidenceItem.requires === 'attachment' && (
                    <Flex align="center" gap={8} style={{ marginTop: 6 }}>
                      <Upload
                        showUploadList={false}
                        maxCount={1}
                        customRequest={({ file }) => {
                          ev.patch(stage.id, evidenceItem.key, { uploading: true });
                          uploadAttachment(file as File).then(
                            (first) =>
                              ev.patch(stage.id, evidenceItem.key, {
                                attachmentId: first.id,
                                fileName: first.fileName,
                                uploading: false,
                                checked: true,
                              }),
                            (err: unknown) => {
                              ev.patch(stage.id, evidenceItem.key, { uploading: false });
                              message.error(t('opps.move.uploadFailed', { reason: (err as Error).message }), 6);
                            },
                          );
                        }}
                      >
                        <Button
                          size="small"
                          icon={<UploadOutlined />}
                          loading={st.uploading}
                          danger={miss?.problem === 'attachment_required'}
                        >
                          {t('opps.move.upload')}
                        </Button>
                      </Upload>
                      {st.attachmentId !== null && <FileLink id={st.attachmentId} name={st.fileName} />}
                    </Flex>
                  )}
                  {miss && (
                    <Typography.Text type="danger" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
                      {problemText(miss)}
                    </Typography.Text>
                  )}
                </div>
              );
            })}
          </Flex>
        </div>
      ))}
    </>
  );
}

/** A file given as evidence: its name when just uploaded, else the word for it (recorded ones are the opportunity's, downloadable by its team). */
function FileLink({ id, name }: { id: number; name: string | null }) {
  const t = useT();
  return (
    <Typography.Link
      href={`/api/v1/attachments/${id}`}
      target="_blank"
      style={{ fontSize: 12, display: 'inline-block', marginTop: 4 }}
    >
      <PaperClipOutlined /> {name ?? t('opps.stages.file')}
    </Typography.Link>
  );
}
