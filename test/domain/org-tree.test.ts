import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, childPath, depthOf, idsOnPath, isSameOrDescendant } from '../../src/domain/org-tree.ts';

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
    assert.deepEqual(tree.map((n) => n.item.id), [9, 1]);
    const group = tree.find((n) => n.item.id === 1)!;
    assert.deepEqual(group.children.map((n) => n.item.name), ['华东', '华南']);
    assert.deepEqual(group.children[0]!.children.map((n) => n.item.id), [4]);
    assert.deepEqual(buildTree([]), []);
  });
});
