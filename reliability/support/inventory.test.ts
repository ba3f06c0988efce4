import { expect, test } from 'vitest';
import { inventoryDiff } from './cluster';

// The fuzz suite's "nothing was created or removed", against a cluster where earlier suites' deletions still finish.
test('an object already terminating may go; anything else that goes or appears is a change', () => {
  const before = { keys: ['VM/team-a/a#1@1', 'VM/team-a/b#2@1', 'VMSnapshotContent/team-a/c#3@2'], terminating: ['VMSnapshotContent/team-a/c#3@2'] };
  expect(inventoryDiff(before, { keys: ['VM/team-a/a#1@1', 'VM/team-a/b#2@1'], terminating: [] })).toEqual({ added: [], removed: [] });
  expect(inventoryDiff(before, { keys: ['VM/team-a/a#1@1', 'VM/team-a/d#4@1'], terminating: [] })).toEqual({ added: ['VM/team-a/d#4@1'], removed: ['VM/team-a/b#2@1'] });
  // Re-specified: the same name with a new generation is one gone and one new.
  expect(inventoryDiff(before, { keys: ['VM/team-a/a#1@2', 'VM/team-a/b#2@1', 'VMSnapshotContent/team-a/c#3@2'], terminating: [] })).toEqual({ added: ['VM/team-a/a#1@2'], removed: ['VM/team-a/a#1@1'] });
});
