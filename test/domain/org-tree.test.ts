import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, childPath, depthOf, idsOnPath, isSameOrDescendant, nameUnits } from '../../src/domain/org-tree.ts';

describe('org tree paths', () => {
  it('builds child paths and reads depth and ancestry from them', () => {
    assert.equal(childPath(null, 1), '/1/');
    assert.equal(childPath('/1/4/', 9), '/1/4/9/');
    assert.equal(depthOf('/1/4/9/'), 3);
    assert.deepEqual(idsOnPath('/1/4/9/'), [1, 4, 9]);
    assert.equal(isSameOrDescendant('/1/4/9/', '/1/4/'), true);
    assert.equal(isSameOrDescendant('/1/4/', '/1/4/'), true);
    assert.equal(isSameOrDescendant('/1/44/', '/1/4/'), false);
    assert.equal(isSameOrDescendant('/1/', '/1/4/'), false);
  });

  it('assembles a sorted forest from rows in any order; orphans become roots', () => {
    const rows = [
      { id: 3, parentId: 1, sortOrder: 1, name: '华南' },
      { id: 2, parentId: 1, sortOrder: 0, name: '华东' },
      { id: 1, parentId: null, sortOrder: 0, name: '集团' },
      { id: 4, parentId: 2, sortOrder: 0, name: '上海' },
      { id: 9, parentId: 77, sortOrder: 0, name: '孤儿' },
    ];
    const tree = buildTree(rows);
    assert.deepEqual(
      tree.map((n) => n.item.id),
      [9, 1],
    );
    const group = tree.find((n) => n.item.id === 1)!;
    assert.deepEqual(
      group.children.map((n) => n.item.name),
      ['华东', '华南'],
    );
    assert.deepEqual(
      group.children[0]!.children.map((n) => n.item.id),
      [4],
    );
    assert.deepEqual(buildTree([]), []);
  });

  it('names a unit by the fewest trailing path names no other active unit shares', () => {
    const unit = (id: number, name: string, path: string, archived = false) => ({ id, name, path, archived });
    const units = [
      unit(1, '集团', '/1/'),
      unit(2, '华东', '/1/2/'),
      unit(3, '上海分公司', '/1/2/3/'),
      unit(4, '销售一部', '/1/2/3/4/'),
      unit(5, '财务部', '/1/2/3/5/'),
      unit(6, '华南', '/1/6/'),
      unit(7, '上海分公司', '/1/6/7/'),
      unit(8, '销售一部', '/1/6/7/8/'),
      unit(9, '销售部', '/1/9/'),
      unit(10, '销售部', '/1/2/10/'),
      unit(11, '旧部', '/1/2/3/11/', true),
      unit(12, '财务部', '/1/6/7/12/', true),
    ];
    const named = nameUnits(units, [4, 8, 5, 9, 10, 11, 12, 1, 404]);
    assert.deepEqual(named.get(4), {
      path: ['集团', '华东', '上海分公司', '销售一部'],
      label: '华东 / 上海分公司 / 销售一部',
    });
    assert.equal(named.get(8)!.label, '华南 / 上海分公司 / 销售一部');
    assert.equal(named.get(5)!.label, '财务部', 'an archived namesake does not make an active unit ambiguous');
    assert.equal(named.get(9)!.label, '集团 / 销售部', 'up to the top unit when needed');
    assert.equal(named.get(10)!.label, '华东 / 销售部');
    assert.equal(named.get(11)!.label, '旧部');
    assert.equal(
      named.get(12)!.label,
      '华南 / 上海分公司 / 财务部',
      'an archived unit is told apart from the active ones',
    );
    assert.equal(named.get(1)!.label, '集团');
    assert.equal(named.has(404), false);
  });
});
