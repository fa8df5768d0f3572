/**
 * The win-strategy decision tree of docs/sales-process.md § Win strategy (赢的策略). The wizard asks one question at a
 * time; `decideStrategy` answers either the next question to ask or the strategy with the
 * path of answers that led to it (both are stored on the opportunity).
 */
export const STRATEGIES = ['develop', 'delay', 'withdraw', 'fragment', 'defend', 'frontal', 'flanking'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const STRATEGY_QUESTIONS = [
  'urgentNeed', // 1. an urgent need, existing or one we can create?
  'accountMattersForFuture', // 1a. (no urgent need) does the account matter for future revenue?
  'worthWaiting', // 1b. (doesn't matter) is it still worth waiting (delay) rather than leaving (withdraw)?
  'canDeliver', // 2. can we deliver?
  'smallerPiece', // 2a / 6. is there a smaller piece we can surely win?
  'incumbent', // 3. are we the incumbent?
  'threeToOne', // 4. do we have a 3:1 advantage?
  'canChangeCriteria', // 5. can we expand or change the buying criteria?
  'strategic', // 6a. (no smaller piece) is the account strategic?
] as const;
export type StrategyQuestion = (typeof STRATEGY_QUESTIONS)[number];
export type StrategyAnswers = Partial<Record<StrategyQuestion, boolean>>;

export type StrategyStep = { question: StrategyQuestion; answer: boolean };
export type StrategyResult =
  | { done: true; strategy: Strategy; path: StrategyStep[] }
  | { done: false; next: StrategyQuestion; path: StrategyStep[] };

export function decideStrategy(answers: StrategyAnswers): StrategyResult {
  const path: StrategyStep[] = [];
  const ask = (question: StrategyQuestion): boolean | undefined => {
    const answer = answers[question];
    if (answer !== undefined) path.push({ question: question, answer: answer });
    return answer;
  };
  const need = (next: StrategyQuestion): StrategyResult => ({ done: false, next, path });
  const done = (strategy: Strategy): StrategyResult => ({ done: true, strategy, path });

  const urgent = ask('urgentNeed');
  if (urgent === undefined) return need('urgentNeed');
  if (!urgent) {
    const matters = ask('accountMattersForFuture');
    if (matters === undefined) return need('accountMattersForFuture');
    if (matters) return done('develop');
    const wait = ask('worthWaiting');
    if (wait === undefined) return need('worthWaiting');
    return done(wait ? 'delay' : 'withdraw');
  }
  const deliver = ask('canDeliver');
  if (deliver === undefined) return need('canDeliver');
  if (!deliver) {
    const piece = ask('smallerPiece');
    if (piece === undefined) return need('smallerPiece');
    return done(piece ? 'fragment' : 'withdraw');
  }
  const incumbent = ask('incumbent');
  if (incumbent === undefined) return need('incumbent');
  if (incumbent) return done('defend');
  const advantage = ask('threeToOne');
  if (advantage === undefined) return need('threeToOne');
  if (advantage) return done('frontal');
  const criteria = ask('canChangeCriteria');
  if (criteria === undefined) return need('canChangeCriteria');
  if (criteria) return done('flanking');
  const piece = ask('smallerPiece');
  if (piece === undefined) return need('smallerPiece');
  if (piece) return done('fragment');
  const strategic = ask('strategic');
  if (strategic === undefined) return need('strategic');
  return done(strategic ? 'develop' : 'withdraw');
}
