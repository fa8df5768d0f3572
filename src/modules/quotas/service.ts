import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type * as contract from '../../contracts/quotas.ts';
import { addDays, periodAt, periodOf, type Calendar, type Period } from '../../domain/calendar.ts';
import { canSetQuota, targetsVisible, type Actor, type TargetSubject } from '../../domain/policy.ts';
import {
  DEFAULT_QUARTER_RATIOS,
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
import { AppError, forbidden, invalid, staleVersion } from '../../server/problem.ts';
import { listHistory, recordChanges, type Change } from '../history/repository.ts';
import { loadRules } from '../workspace/service.ts';
import * as targets from '../targets/scope.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto } from '../targets/scope.ts';
import * as repo from './repository.ts';

/**
 * Quotas (docs/targets.md § Quotas): the table managers fill in, its history, and
 * `quotaFor` — the quota of a scope in a period, which every live report (funnel health,
 * forecast, gap) reads.
 */

type QuotaRowDb = Awaited<ReturnType<typeof repo.quotasOfYear>>[number];

function settingOf(row: Pick<QuotaRowDb, 'amount' | 'quarter_ratios' | 'categories' | 'basis'>): QuotaSetting {
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
  const { settings, calendar } = await loadRules(db.kysely, actor.workspaceId);
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
  const { calendar } = await loadRules(db.kysely, actor.workspaceId);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, query.scope);
  const basis = query.basis ?? 'tax_inclusive';
  const result = await quotaFor(db.kysely, actor.workspaceId, scope, period, { basis });
  return { scope: scopeDto(scope), period: periodDto(period, calendar, actor.now), basis, ...result };
}

const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Saves a table of quotas in one transaction, each change with its reason in the history.
 * Ratios and shares must add up to 100; a person or unit out of reach is 400 naming the item
 * (as if it did not exist); one the caller sees but may not set (a manager's own) is 403;
 * a version older than the stored one is 409, and nothing is saved.
 */
export async function saveQuotas(db: Db, actor: Actor, req: contract.SaveQuotasRequest): Promise<{ changed: number }> {
  const { settings } = await loadRules(db.kysely, actor.workspaceId);
  const lineKeys = new Set(settings.businessLines.map((line) => line.key));
  const seen = new Map<string, number>();
  const subjects: TargetSubject[] = [];
  for (const [index, item] of req.items.entries()) {
    const key = `${item.subjectType}:${item.subjectId}`;
    if (seen.has(key))
      throw invalid(
        `items.${index}.subjectId`,
        { code: 'duplicate', params: { index: seen.get(key)! } },
        `the same ${item.subjectType} as item ${seen.get(key)}`,
      );
    seen.set(key, index);
    if (item.quarterRatios && total(item.quarterRatios) !== 100)
      throw invalid(
        `items.${index}.quarterRatios`,
        { code: 'must_total_100', params: { total: total(item.quarterRatios) } },
        `must add up to 100, not ${total(item.quarterRatios)}`,
      );
    const shares = item.categories?.map((c) => c.share) ?? [];
    if (shares.length && total(shares) !== 100)
      throw invalid(
        `items.${index}.categories`,
        { code: 'must_total_100', params: { total: total(shares) } },
        `shares must add up to 100, not ${total(shares)}`,
      );
    const keys = new Set(item.categories?.map((c) => c.key));
    if (keys.size !== shares.length)
      throw invalid(`items.${index}.categories`, { code: 'unique' }, 'each category once');
    checkCategoryKeys(item.categories ?? [], lineKeys, `items.${index}.categories`);
    const subject = await subjectFor(db.kysely, actor.workspaceId, item.subjectType, item.subjectId);
    if (!subject || !targetsVisible(actor, subject))
      throw invalid(
        `items.${index}.subjectId`,
        { code: 'not_found', params: { id: item.subjectId } },
        `no ${item.subjectType} with id ${item.subjectId}`,
      );
    if (!canSetQuota(actor, subject))
      throw forbidden(
        item.subjectType === 'user' && item.subjectId === actor.userId
          ? 'Your own quota is set from above'
          : 'Only an administrator or a manager above it sets this quota',
      );
    subjects.push(subject);
  }
  const defaultBasis = settings.defaultQuotaBasis;
  let changed = 0;
  await db.kysely.transaction().execute(async (trx) => {
    const changes: Change[] = [];
    for (const item of req.items) {
      const current = await repo.quotaOf(trx, actor.workspaceId, req.fiscalYear, item.subjectType, item.subjectId);
      if (current && item.version !== undefined && item.version !== current.version)
        throw staleVersion('Quota', current.version);
      if (!current && item.version !== undefined && item.amount !== null) throw staleVersion('Quota', 0);
      const before = current ? JSON.stringify(settingOf(current)) : null;
      let after: string | null = null;
      if (item.amount === null) {
        if (!current) continue;
        if (!(await repo.deleteQuota(trx, actor.workspaceId, current.id, current.version)))
          throw staleVersion('Quota', current.version + 1);
      } else {
        const prior = current ? settingOf(current) : null;
        const setting: QuotaSetting = {
          amount: item.amount,
          quarterRatios: item.quarterRatios ?? prior?.quarterRatios ?? DEFAULT_QUARTER_RATIOS,
          categories: item.categories ?? prior?.categories ?? [],
          basis: item.basis ?? prior?.basis ?? defaultBasis,
        };
        after = JSON.stringify(setting);
        if (after === before) continue;
        const values = {
          amount: setting.amount,
          quarter_ratios: JSON.stringify(setting.quarterRatios),
          categories: JSON.stringify(setting.categories),
          basis: setting.basis,
          now: actor.now,
          by: actor.userId,
        };
        if (current) {
          if (!(await repo.updateQuota(trx, actor.workspaceId, current.id, current.version, values)))
            throw staleVersion('Quota', current.version + 1);
        } else {
          await repo.insertQuota(trx, {
            workspace_id: actor.workspaceId,
            fiscal_year: req.fiscalYear,
            subject_type: item.subjectType,
            subject_id: item.subjectId,
            ...values,
          });
        }
      }
      changed++;
      changes.push({
        workspaceId: actor.workspaceId,
        entityType: item.subjectType === 'user' ? 'quota_user' : 'quota_unit',
        entityId: item.subjectId,
        field: `FY${req.fiscalYear}`,
        oldValue: before,
        newValue: after,
        reason: req.reason,
        actorUserId: actor.userId,
      });
    }
    await recordChanges(trx, changes, actor.now);
  });
  return { changed };
}

/**
 * A quota splits either by project size (small / large) or by the workspace's business lines,
 * never both: the shares of one split add up to 100, so a mix would count part of the quota
 * toward a size and the rest toward a line. A key that is neither names the category.
 */
function checkCategoryKeys(categories: readonly { key: string }[], lineKeys: ReadonlySet<string>, field: string) {
  const sizes = categories.filter((category) => SIZE_KEYS.has(category.key)).length;
  for (const [index, category] of categories.entries())
    if (!SIZE_KEYS.has(category.key) && !lineKeys.has(category.key))
      throw invalid(
        `${field}.${index}.key`,
        { code: 'unknown_line', params: { key: category.key } },
        `${category.key} is no business line of the workspace (Settings → Rules), nor small or large`,
      );
  if (sizes > 0 && sizes < categories.length)
    throw invalid(field, { code: 'mixed_split' }, 'split by project size or by business line, not both');
}
const SIZE_KEYS: ReadonlySet<string> = new Set(['small', 'large']);

async function subjectFor(
  db: Kysely<Database>,
  workspaceId: number,
  type: 'user' | 'unit',
  id: number,
): Promise<TargetSubject | null> {
  if (type === 'unit') {
    const unit = await targets.unitOf(db, workspaceId, id);
    return unit ? { kind: 'unit', unitId: unit.id, path: unit.path } : null;
  }
  const user = await targets.userOf(db, workspaceId, id);
  return user ? { kind: 'user', userId: user.id, unitPath: user.path } : null;
}

/** The changes of one person's or unit's quotas, newest first, with reasons. */
export async function quotaHistory(
  db: Db,
  actor: Actor,
  query: { subjectType: 'user' | 'unit'; subjectId: number; fiscalYear?: number | undefined },
): Promise<contract.QuotaHistory> {
  const subject = await subjectFor(db.kysely, actor.workspaceId, query.subjectType, query.subjectId);
  if (!subject || !targetsVisible(actor, subject))
    throw new AppError('not_found', `No ${query.subjectType} with id ${query.subjectId}`);
  const rows = await listHistory(
    db.kysely,
    actor.workspaceId,
    query.subjectType === 'user' ? 'quota_user' : 'quota_unit',
    query.subjectId,
    query.fiscalYear === undefined ? undefined : `FY${query.fiscalYear}`,
  );
  return {
    items: rows.map((row) => ({
      id: row.id,
      fiscalYear: Number(row.field.slice(2)),
      before: row.old_value,
      after: row.new_value,
      reason: row.reason,
      actorName: row.actor_name,
      at: Number(row.created_at),
    })),
  };
}
