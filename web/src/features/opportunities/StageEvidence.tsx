import { useState } from 'react';
import { App, Button, Flex, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { deskKeys } from '../../api/keys.ts';
import { oppKeys, useSaveEvidence } from './api.ts';
import { EvidenceProgress } from './bits.tsx';
import { EvidenceChecklist, sameEvidence, useEvidence } from './EvidenceChecklist.tsx';
import type { OpportunityDetail, Stage } from './types.ts';

/**
 * The current stage's evidence as the team collects it (docs/sales-process.md "what is done is seen"):
 * those who contribute to the deal tick an item when it is done (with its note or file) and
 * save; everyone sees how far it is. The move dialog starts from what is saved here.
 */
export function StageEvidence({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage }) {
  const t = useT();
  // Starting over from the server's set whenever it changes (a save, a colleague's, a move) or on cancel.
  const [round, setRound] = useState(0);
  return (
    <div data-testid="stage-evidence-panel">
      <Flex justify="space-between" align="center" gap={8} style={{ marginBottom: 6 }}>
        <Typography.Text strong>{t('opps.stage.evidence')}</Typography.Text>
        <EvidenceProgress status={opportunity.evidenceStatus} />
      </Flex>
      {stage.evidence.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('opps.move.noEvidence')}</Typography.Paragraph>
      ) : (
        <Gathered
          key={`${stage.id}:${JSON.stringify(opportunity.evidence)}:${round}`}
          o={opportunity}
          stage={stage}
          onReset={() => setRound((r) => r + 1)}
        />
      )}
    </div>
  );
}

function Gathered({ o: opportunity, stage, onReset }: { o: OpportunityDetail; stage: Stage; onReset: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const qc = useQueryClient();
  const save = useSaveEvidence();
  const ev = useEvidence([stage], opportunity.evidence);
  const canRecord = opportunity.permissions.contribute && opportunity.status === 'open';
  const dirty = !sameEvidence(ev.given(), opportunity.evidence);

  const submit = async () => {
    const unmet = ev.unmet();
    if (unmet.length > 0) {
      ev.setMissing(unmet);
      return;
    }
    try {
      await save.mutateAsync({ id: opportunity.id, version: opportunity.version, evidence: ev.given() });
      message.success(t('opps.evidence.saved'));
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        message.warning(t('opps.move.conflict'), 6);
        void qc.invalidateQueries({ queryKey: oppKeys.all });
        void qc.invalidateQueries({ queryKey: deskKeys.all });
        return;
      }
      report(error);
    }
  };

  return (
    <div style={{ marginBottom: 12 }}>
      <EvidenceChecklist gated={[stage]} ev={ev} compact readOnly={!canRecord} />
      {canRecord && dirty && (
        <Flex align="center" gap={8} style={{ marginBottom: 6 }}>
          <Button
            type="primary"
            size="small"
            loading={save.isPending}
            onClick={() => void submit()}
            data-testid="evidence-save"
          >
            {t('opps.evidence.save')}
          </Button>
          <Button size="small" onClick={onReset}>
            {t('common.cancel')}
          </Button>
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            {t('opps.evidence.unsaved')}
          </Typography.Text>
        </Flex>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(canRecord ? 'opps.stage.evidenceHint' : 'opps.stage.evidenceReadOnly')}
      </Typography.Text>
    </div>
  );
}
