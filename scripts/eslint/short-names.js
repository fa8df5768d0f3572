/**
 * One-letter names only where a reader sees the whole scope at a glance: the parameters of a
 * one-line arrow function (`(a, b) => a.n - b.n`), the counter of a `for` loop and the i18n
 * translator `t` (`const t = useT()`, `const { t } = useI18n()`), as in every i18n library.
 * Everywhere else a name says what it holds (docs/DESIGN.md § Code style).
 */
const LOOP_COUNTERS = new Set(['i', 'j', 'k']);

function tinyLambda(node) {
  return node && node.type === 'ArrowFunctionExpression' && node.loc.start.line === node.loc.end.line;
}

function translator(declarator) {
  const init = declarator.init;
  return (
    init?.type === 'CallExpression' &&
    init.callee.type === 'Identifier' &&
    (init.callee.name === 'useT' || init.callee.name === 'useI18n')
  );
}

function forCounter(declarator) {
  const declaration = declarator.parent;
  const loop = declaration?.parent;
  return loop && loop.type === 'ForStatement' && loop.init === declaration && LOOP_COUNTERS.has(declarator.id.name);
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'suggestion',
    messages: { short: "'{{name}}' is a one-letter name outside a one-line lambda: name what it holds." },
    schema: [],
  },
  create(context) {
    const report = (id) => {
      if (id && id.type === 'Identifier' && id.name.length === 1 && id.name !== '_')
        context.report({ node: id, messageId: 'short', data: { name: id.name } });
    };
    const patternIds = (pattern, out = []) => {
      if (!pattern) return out;
      if (pattern.type === 'Identifier') out.push(pattern);
      else if (pattern.type === 'AssignmentPattern') patternIds(pattern.left, out);
      else if (pattern.type === 'RestElement') patternIds(pattern.argument, out);
      else if (pattern.type === 'ArrayPattern') pattern.elements.forEach((e) => patternIds(e, out));
      else if (pattern.type === 'ObjectPattern')
        pattern.properties.forEach((p) => patternIds(p.type === 'RestElement' ? p : p.value, out));
      else if (pattern.type === 'TSParameterProperty') patternIds(pattern.parameter, out);
      return out;
    };
    const params = (fn) => {
      if (tinyLambda(fn)) return;
      for (const param of fn.params) patternIds(param).forEach(report);
    };
    return {
      VariableDeclarator(node) {
        if (forCounter(node)) return;
        const names = patternIds(node.id);
        (translator(node) ? names.filter((id) => id.name !== 't') : names).forEach(report);
      },
      FunctionDeclaration(node) {
        report(node.id);
        params(node);
      },
      FunctionExpression: params,
      ArrowFunctionExpression: params,
      CatchClause(node) {
        patternIds(node.param).forEach(report);
      },
      ClassDeclaration(node) {
        report(node.id);
      },
    };
  },
};
