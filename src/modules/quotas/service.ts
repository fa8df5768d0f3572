import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type * as contract from '../../contracts/quotas.ts';
import { addDays, periodAt, periodOf, type Calendar, type Period } from '../../domain/calendar.ts';
import { canSetQuota, targetsVisible, type Actor, type TargetSubject } from '../../domain/policy.ts';
import {
  addFigures,
  amountIn,
  emptyFigure,
  figureOf,
  rollUp,
  yearOf,
  type QuotaBasis,
  type QuotaFigure,
  type QuotaSetting,
} from '../../domain/quota.ts';
import { loadRules } from '../workspace/service.ts';
import * as targets from '../targets/scope.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto } from '../targets/scope.ts';
import * as repo from './repository.ts';

/**
 * Quotas (docs/targets.md § Quotas): the table managers fill in (saved, with its history, in
 * save.ts) and `quotaFor` — the quota of a scope in a period, which every live report (funnel
 * health, forecast, gap) reads.
 */

type QuotaRowDb = Awaited<ReturnType<typeof repo.quotasOfYear>>[number];

export function settingOf(row: Pick<QuotaRowDb, 'amount' | 'quarter_ratios' | 'categories' | 'basis'>): QuotaSetting {
  return {
    amount: Number(row.amount),
    quarterRatios: JSON.parse(row.quarter_ratios) as number[],
    categories: JSON.parse(row.categories) as QuotaSetting['categories'],
    basis: row.basis as QuotaBasis,
  };
}

interface Tree {
  units: Awaited<ReturnType<typeof targets.unitsUnder>>;
  people: Awaited<ReturnType<typeof targets.peopleUnder>>;
  quotas: QuotaRowDb[];
}

async function loadTree(
  db: Kysely<Database>,
  workspaceId: number,
  fiscalYear: number,
  pathPrefix: string | null,
): Promise<Tree> {
  const [units, people, quotas] = await Promise.all([
    targets.unitsUnder(db, workspaceId, pathPrefix),
    targets.peopleUnder(db, workspaceId, pathPrefix),
    repo.quotasOfYear(db, workspaceId, fiscalYear),
  ]);
  return { units, people, quotas };
}

function figures(tree: Tree, basis: QuotaBasis, taxRatePercent: number) {
  const set = (type: string) =>
    new Map(tree.quotas.filter((q) => q.subject_type === type).map((q) => [q.subject_id, q]));
  const userQuotas = set('user');
  const unitQuotas = set('unit');
  const personFigure = (id: number) => {
    const quota = userQuotas.get(id);
    return quota ? figureOf(settingOf(quota), basis, taxRatePercent) : emptyFigure();
  };
  const unitSet = new Map<number, QuotaFigure>();
  for (const [id, quota] of unitQuotas) unitSet.set(id, figureOf(settingOf(quota), basis, taxRatePercent));
  const rolled = rollUp(
    tree.units.map((u) => ({ id: u.id, parentId: u.parent_id })),
    tree.people.map((p) => ({ unitId: p.org_unit_id, figure: personFigure(p.id) })),
    unitSet,
  );
  return { userQuotas, unitQuotas, personFigure, rolled };
}

const amountsDto = (f: QuotaFigure) => ({ year: yearOf(f), quarters: f.quarters, categories: f.categories });

function settingDto(quotaRow: QuotaRowDb): contract.QuotaRow['quota'] {
  const setting = settingOf(quotaRow);
  return {
    id: quotaRow.id,
    amount: setting.amount,
    quarterRatios: [...setting.quarterRatios],
    categories: [...setting.categories],
    basis: setting.basis,
    updatedAt: Number(quotaRow.updated_at),
    updatedBy: quotaRow.updated_by_name ?? null,
    version: quotaRow.version,
  };
}

/** The quota table of a fiscal year for everything the caller may see (a rep: their own row). */
export async function quotaTable(
  db: Db,
  actor: Actor,
  query: { fiscalYear?: number | undefined; orgUnitId?: number | undefined; basis?: QuotaBasis | undefined },
): Promise<contract.QuotaTable> {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const fiscalYear = query.fiscalYear ?? periodAt('fiscalYear', actor.now, calendar).fiscalYear;
  const basis = query.basis ?? settings.defaultQuotaBasis;
  let prefix: string | null = actor.role === 'admin' || actor.role === 'executive' ? null : actor.unitPath;
  if (query.orgUnitId !== undefined) {
    const unit = await targets.unitOf(db.kysely, actor.workspaceId, query.orgUnitId);
    // A filter by a unit out of reach finds nothing (docs/DESIGN.md § Ids in requests).
    prefix = unit && targetsVisible(actor, { kind: 'unit', unitId: unit.id, path: unit.path }) ? unit.path : '/none/';
  }
  const tree = await loadTree(db.kysely, actor.workspaceId, fiscalYear, prefix);
  const allFigures = figures(tree, basis, settings.taxRatePercent);
  const rows: contract.QuotaRow[] = [];
  const depthOf = (path: string) => path.split('/').filter(Boolean).length - 1;
  for (const unit of tree.units) {
    const subject: TargetSubject = { kind: 'unit', unitId: unit.id, path: unit.path };
    const rolled = allFigures.rolled.get(unit.id);
    if (rolled && targetsVisible(actor, subject)) {
      const quota = allFigures.unitQuotas.get(unit.id);
      rows.push({
        subjectType: 'unit',
        subjectId: unit.id,
        name: unit.name,
        parentUnitId: unit.parent_id,
        depth: depthOf(unit.path),
        role: null,
        quota: quota ? settingDto(quota) : null,
        effective: amountsDto(rolled.effective),
        members: amountsDto(rolled.members),
        difference: rolled.set ? yearOf(rolled.set) - yearOf(rolled.members) : null,
        canEdit: canSetQuota(actor, subject),
      });
    }
    for (const person of tree.people.filter((x) => x.org_unit_id === unit.id)) {
      const who: TargetSubject = { kind: 'user', userId: person.id, unitPath: person.path };
      if (!targetsVisible(actor, who)) continue;
      const quota = allFigures.userQuotas.get(person.id);
      rows.push({
        subjectType: 'user',
        subjectId: person.id,
        name: person.name,
        parentUnitId: person.org_unit_id,
        depth: depthOf(person.path) + 1,
        role: person.role,
        quota: quota ? settingDto(quota) : null,
        effective: amountsDto(allFigures.personFigure(person.id)),
        members: null,
        difference: null,
        canEdit: canSetQuota(actor, who),
      });
    }
  }
  return { fiscalYear, basis, defaultBasis: settings.defaultQuotaBasis, taxRatePercent: settings.taxRatePercent, rows };
}

export interface QuotaForResult {
  amount: number;
  set: boolean;
  membersAmount: number | null;
  categories: Record<string, number>;
}

/** The fiscal year a period's quotas are read from (a week: the year holding its Thursday). */
const fiscalYearOf = (period: Period, calendar: Calendar) =>
  period.kind === 'week' ? periodOf('fiscalYear', addDays(period.start, 3), calendar).fiscalYear : period.fiscalYear;

/** Cuts a year's quarters down to a period: months are a third of their quarter, weeks their quarter ÷ its weeks. */
function slicer(period: Period, calendar: Calendar) {
  const anchor = period.kind === 'week' ? addDays(period.start, 3) : period.start;
  const quarter = periodOf('quarter', anchor, calendar);
  const monthInQuarter = period.kind === 'month' ? monthsBetween(quarter.start, period.start) : 0;
  return (amounts: readonly number[]) => amountIn(amounts, period, quarter.index, monthInQuarter, quarter);
}

/**
 * The quota of a scope in a period — the one lookup every live report uses (funnel health,
 * forecast, gap). A person: their own quota (0 when none is set). A unit: its own quota, else
 * the sum of its members'. The workspace: the sum of its top units'. Months are a third of
 * their quarter, weeks their quarter ÷ the weeks it counts (docs/targets.md § Quotas). The
 * caller has checked that the actor may see the scope (resolveScope).
 */
export async function quotaFor(
  db: Kysely<Database>,
  workspaceId: number,
  subject: TargetSubject,
  period: Period,
  opts: { basis?: QuotaBasis } = {},
): Promise<QuotaForResult> {
  const { settings, calendar } = await loadRules(db, workspaceId);
  const basis = opts.basis ?? 'tax_inclusive';
  const fy = fiscalYearOf(period, calendar);
  const prefix = subject.kind === 'unit' ? subject.path : subject.kind === 'user' ? subject.unitPath : null;
  let own: QuotaFigure | null;
  let members: QuotaFigure | null = null;
  if (subject.kind === 'user') {
    const quota = await repo.quotaOf(db, workspaceId, fy, 'user', subject.userId);
    own = quota ? figureOf(settingOf(quota), basis, settings.taxRatePercent) : null;
  } else {
    const tree = await loadTree(db, workspaceId, fy, prefix);
    const allFigures = figures(tree, basis, settings.taxRatePercent);
    if (subject.kind === 'unit') {
      const rolled = allFigures.rolled.get(subject.unitId);
      own = rolled?.set ?? null;
      members = rolled?.members ?? emptyFigure();
    } else {
      own = null;
      members = tree.units
        .filter((u) => u.parent_id === null)
        .reduce((sum, u) => addFigures(sum, allFigures.rolled.get(u.id)?.effective ?? emptyFigure()), emptyFigure());
    }
  }
  const effective = own ?? members ?? emptyFigure();
  const inPeriod = slicer(period, calendar);
  return {
    amount: inPeriod(effective.quarters),
    set: own !== null,
    membersAmount: subject.kind === 'user' || !members ? null : inPeriod(members.quarters),
    categories: Object.fromEntries(Object.entries(effective.categories).map(([k, qs]) => [k, inPeriod(qs)])),
  };
}

/**
 * The quotas of everyone inside a scope at once — each unit's (its own, else its members' sum)
 * and each person's — from one read of the scope's tree and quotas, for reports that list
 * many units or people (who is behind). Equal, member by member, to quotaFor.
 */
export async function quotasWithin(
  db: Kysely<Database>,
  workspaceId: number,
  scope: TargetSubject,
  period: Period,
  opts: { basis?: QuotaBasis } = {},
): Promise<{ unit: (id: number) => number; person: (id: number) => number }> {
  const { settings, calendar } = await loadRules(db, workspaceId);
  const basis = opts.basis ?? 'tax_inclusive';
  const prefix = scope.kind === 'unit' ? scope.path : scope.kind === 'user' ? scope.unitPath : null;
  const tree = await loadTree(db, workspaceId, fiscalYearOf(period, calendar), prefix);
  const allFigures = figures(tree, basis, settings.taxRatePercent);
  const inPeriod = slicer(period, calendar);
  return {
    unit: (id) => inPeriod((allFigures.rolled.get(id)?.effective ?? emptyFigure()).quarters),
    person: (id) => inPeriod(allFigures.personFigure(id).quarters),
  };
}

/**
 * Each person's own quota in a period (0 without one), or with `line` its part of that line
 * ('' — the deals of no line — has none, as funnel health has it), from one read of the year's
 * personal quotas: the per-member funnel's quota column. Equal, person by person, to quotaFor.
 */
export async function personalQuotas(
  db: Kysely<Database>,
  workspaceId: number,
  period: Period,
  rules: { calendar: Calendar; taxRatePercent: number },
  line?: string,
): Promise<Map<number, number>> {
  const rows = await repo.personalQuotasOfYear(db, workspaceId, fiscalYearOf(period, rules.calendar));
  const inPeriod = slicer(period, rules.calendar);
  const out = new Map<number, number>();
  for (const row of rows) {
    const figure = figureOf(settingOf(row), 'tax_inclusive', rules.taxRatePercent);
    // No category is keyed '': the deals of no line have no quota of their own.
    const amounts = line === undefined ? figure.quarters : figure.categories[line];
    out.set(row.subject_id, amounts ? inPeriod(amounts) : 0);
  }
  return out;
}

const monthsBetween = (left: string, right: string) =>
  (Number(right.slice(0, 4)) - Number(left.slice(0, 4))) * 12 + Number(right.slice(5, 7)) - Number(left.slice(5, 7));

/** GET /quotas/figure: quotaFor for a scope and period the caller may see. */
export async function quotaFigure(
  db: Db,
  actor: Actor,
  query: { scope?: string | undefined; period?: string | undefined; basis?: QuotaBasis | undefined },
): Promise<contract.QuotaFigureDto> {
  const { calendar } = await loadRules(db.kysely, actor);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, query.scope);
  const basis = query.basis ?? 'tax_inclusive';
  const result = await quotaFor(db.kysely, actor.workspaceId, scope, period, { basis });
  return { scope: scopeDto(scope), period: periodDto(period, calendar, actor.now), basis, ...result };
}
