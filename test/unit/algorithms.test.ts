// ssh_config's algorithm lists (+ - ^, patterns) applied to what Warren offers, as OpenSSH's kex_assemble_names() does
import { describe, expect, it } from 'vitest';
import { assembleAlgorithms } from '../../electron/sshconfig/algorithms.js';

const defaults = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr'];
const all = [...defaults, 'aes256-cbc', 'aes128-cbc', '3des-cbc'];

describe('assembleAlgorithms', () => {
  it('replaces the defaults with a plain list, in its order', () => {
    expect(assembleAlgorithms('aes256-ctr,aes128-gcm@openssh.com', defaults, all)).toEqual({
      list: ['aes256-ctr', 'aes128-gcm@openssh.com'],
      unknown: [],
      error: null,
    });
  });

  it('+ appends after the defaults, without repeating one', () => {
    expect(assembleAlgorithms('+aes128-cbc,aes128-ctr', defaults, all).list).toEqual([...defaults, 'aes128-cbc']);
  });

  it('^ puts the names first and keeps the rest of the defaults after them', () => {
    expect(assembleAlgorithms('^aes256-gcm@openssh.com', defaults, all).list).toEqual([
      'aes256-gcm@openssh.com',
      'aes128-gcm@openssh.com',
      'aes128-ctr',
      'aes256-ctr',
    ]);
  });

  it('- removes what its patterns match from the defaults only', () => {
    expect(assembleAlgorithms('-*-gcm@openssh.com,3des-cbc', defaults, all).list).toEqual(['aes128-ctr', 'aes256-ctr']);
    expect(assembleAlgorithms('-*', defaults, all).list).toEqual([]);
  });

  it('expands a pattern against everything implemented, in that order', () => {
    expect(assembleAlgorithms('aes*-cbc', defaults, all).list).toEqual(['aes256-cbc', 'aes128-cbc']);
    expect(assembleAlgorithms('+*-cbc', defaults, all).list).toEqual([...defaults, 'aes256-cbc', 'aes128-cbc', '3des-cbc']);
  });

  it('names what is not implemented and leaves it out; nothing left is an empty list', () => {
    expect(assembleAlgorithms('umac-128-etm@openssh.com,aes128-ctr', defaults, all)).toEqual({
      list: ['aes128-ctr'],
      unknown: ['umac-128-etm@openssh.com'],
      error: null,
    });
    expect(assembleAlgorithms('umac-128-etm@openssh.com', defaults, all).list).toEqual([]);
    // a pattern that matches nothing is not "unknown": it just adds nothing
    expect(assembleAlgorithms('chacha*', defaults, all)).toEqual({ list: [], unknown: [], error: null });
  });

  it('refuses a negation, as ssh does', () => {
    expect(assembleAlgorithms('!aes128-ctr', defaults, all).error).toMatch(/negated/);
  });
});
