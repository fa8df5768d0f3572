/** Field errors of nested requests find their inputs (web/src/api/form-paths.ts, issue 10: the FAB benefit). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formPathOf } from '../../web/src/api/form-paths.ts';

const values = {
  subject: undefined,
  plan: {
    fab: [{ feature: 'x', benefit: undefined }],
    spin: { situation: 'one\ntwo' },
    objectives: [],
  },
};

test('a nested field error names the input that holds it', () => {
  assert.deepEqual(formPathOf(values, 'plan.fab.0.benefit'), ['plan', 'fab', 0, 'benefit']);
  assert.deepEqual(formPathOf(values, 'subject'), ['subject'], 'a registered field without a value still counts');
  assert.deepEqual(formPathOf(values, 'plan.objectives'), ['plan', 'objectives'], 'a list as a whole');
});

test('an error below a plain value goes to that value; one nowhere in the form finds nothing', () => {
  assert.deepEqual(formPathOf(values, 'plan.spin.situation.1'), ['plan', 'spin', 'situation']);
  assert.equal(formPathOf(values, 'plan.fab.3.benefit'), null, 'an item the form does not have');
  assert.equal(formPathOf(values, 'version'), null);
  assert.equal(formPathOf(values, 'plan.materials'), null);
});
