import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROCESS_TEMPLATES } from '../../src/domain/sales-process-templates.ts';
import { shippedTexts, shippedTranslations } from '../../src/domain/shipped-texts.ts';

const HAN = /\p{Script=Han}/u;

describe('the shipped process templates carry both languages (docs/sales-process.md § Sales processes and stages)', () => {
  it('gives every template, stage, milestone, action and evidence label a Chinese and an English text', () => {
    const texts = shippedTexts();
    // Every text field of every template is in the list, so nothing escapes the checks below.
    const expected = PROCESS_TEMPLATES.reduce(
      (count, template) =>
        count + 2 + template.stages.reduce((sum, stage) => sum + 3 + stage.actions.length + stage.evidence.length, 0),
      0,
    );
    assert.equal(texts.length, expected);
    for (const text of texts) {
      assert.ok(text.zh.trim() !== '', `a Chinese text for ${JSON.stringify(text)}`);
      assert.ok(text.en.trim() !== '', `an English text for ${JSON.stringify(text)}`);
      assert.ok(!HAN.test(text.en), `no Chinese in the English: ${text.en}`);
    }
    for (const template of PROCESS_TEMPLATES)
      for (const stage of template.stages)
        assert.ok(HAN.test(stage.name.zh), `the Chinese stage name is Chinese: ${template.key}/${stage.key}`);
  });

  it('reads every shipped text in the other language, and the English reader never sees Chinese', () => {
    const { zh, en } = shippedTranslations();
    for (const text of shippedTexts()) {
      const english = en.get(text.zh);
      assert.ok(english !== undefined && !HAN.test(english), `${text.zh} reads in English`);
      const chinese = zh.get(text.en);
      assert.ok(chinese !== undefined && chinese.trim() !== '', `${text.en} reads in Chinese`);
    }
    assert.equal(en.get('小项目'), 'Small project');
    assert.equal(zh.get('Small project'), '小项目');
    assert.equal(en.get('我们自己的阶段'), undefined, 'a text an administrator wrote is not a shipped one');
  });
});
