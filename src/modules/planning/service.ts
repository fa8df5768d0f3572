import type * as contract from '../../contracts/planning.ts';
import { funnelGap as computeFunnelGap, standardFunnel as computeStandardFunnel } from '../../domain/funnel-math.ts';
import { gapAnalysis, revenueForecast } from '../../domain/forecast.ts';

/** The calculators answer exactly what the domain computes; the contract types hold them to the API's shape. */
export const standardFunnel = (req: contract.StandardFunnelRequest): contract.StandardFunnelResponse =>
  computeStandardFunnel(req);
export const funnelGap = (req: contract.FunnelGapRequest): contract.FunnelGapResponse => computeFunnelGap(req);
export const forecast = (req: contract.ForecastRequest): contract.ForecastResponse => revenueForecast(req);
export const gap = (req: contract.GapRequest): contract.GapResponse => gapAnalysis(req);
