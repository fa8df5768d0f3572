/** A rule's industry and place as the settings page words them. */
import type { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { Industry } from './api.ts';

type T = ReturnType<typeof useT>;
export const industryLabel = (translate: T, industry: Industry | null | undefined) =>
  industry ? translate(`territories.industry.${industry}` as MessageKey) : translate('territories.anyIndustry');
export const placeText = (
  translate: T,
  place: { province: string | null; city: string | null; district: string | null },
) => [place.province ?? translate('territories.anyPlace'), place.city, place.district].filter(Boolean).join(' / ');
