import { describe, expect, it } from 'vitest';
import { hostColor } from '../../../../renderer/features/hosts/hostColor.js';
import type { Group } from '../../../../shared/model.js';

const g = (id: string, parentId: string | null, color?: string): Group => ({ id, name: id, parentId, defaults: color ? { color } : {} });

describe('hostColor', () => {
  const groups = [g('prod', null, '#e5484d'), g('db', 'prod'), g('lab', 'prod', 'none'), g('x', null)];
  it("is the host's own, else its nearest group's; none turns an inherited one off", () => {
    expect(hostColor({ groupId: 'db' }, groups)).toBe('#e5484d');
    expect(hostColor({ groupId: 'db', color: '#3e63dd' }, groups)).toBe('#3e63dd');
    expect(hostColor({ groupId: 'db', color: 'none' }, groups)).toBeNull();
    expect(hostColor({ groupId: 'lab' }, groups)).toBeNull();
    expect(hostColor({ groupId: 'x' }, groups)).toBeNull();
    expect(hostColor({ groupId: null }, groups)).toBeNull();
  });
});
