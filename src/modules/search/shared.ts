/** What other areas' list filters use of the search index (docs/search.md). */
export { prepareMatch, candidateIds, type TextMatch } from './repository/match.ts';
