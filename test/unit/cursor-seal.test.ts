import fc from 'fast-check';
import { cursorSeal, MIN_KEY_BYTES } from '../../lambdas/core/cursor-seal';
import { InvalidConfiguration, InvalidCursor } from '../../lambdas/core/errors';
import { problemResponse } from '../../lambdas/http/problem';

const KEY = 'k'.repeat(MIN_KEY_BYTES);
const seal = cursorSeal(KEY);
const position = Buffer.from(JSON.stringify({ list: 'abc', at: [['2026-11-20T10:00:00.000Z', 'id-1'], 1] })).toString('base64url');

describe('a sealed cursor', () => {
  it('opens to the position it was sealed with, for the purpose it was sealed for', () => {
    expect(seal.open('list', seal.seal('list', position))).toBe(position);
  });

  it('is refused (400) when sealed under another secret', () => {
    const foreign = cursorSeal('another deployment, another secret, 32+ bytes').seal('list', position);
    expect(() => seal.open('list', foreign)).toThrow(InvalidCursor);
  });

  it("is refused (400) for another purpose: a list's cursor as a history's, one complaint's history as another's", () => {
    expect(() => seal.open('history:a', seal.seal('list', position))).toThrow(InvalidCursor);
    expect(() => seal.open('history:b', seal.seal('history:a', 'MDAwMDAwMDAwNQ'))).toThrow(InvalidCursor);
  });

  it('is refused (400) with any one character changed, the position or the seal', () => {
    const cursor = seal.seal('list', position);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    fc.assert(
      fc.property(fc.nat(cursor.length - 1), fc.constantFrom(...alphabet), (at, replacement) => {
        fc.pre(cursor[at] !== replacement);
        const tampered = `${cursor.slice(0, at)}${replacement}${cursor.slice(at + 1)}`;
        expect(() => seal.open('list', tampered)).toThrow(InvalidCursor);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['empty', ''],
    ['no seal', position],
    ['an empty seal', `${position}.`],
    ['an empty position', `.${seal.seal('list', position).split('.')[1]}`],
    ['a short seal', `${position}.abc`],
    ['a seal with padding', `${seal.seal('list', position)}=`],
    ['two dots', `${position}.${seal.seal('list', position)}`],
    ['a seal of the right length made up', `${position}.${'A'.repeat(43)}`],
    ['empty key values sealed as nothing', Buffer.from('{"list":"x","at":[["",""]]}').toString('base64url')],
  ])('is refused (400) when it is %s', (_name, cursor) => {
    expect(() => seal.open('list', cursor)).toThrow(InvalidCursor);
  });

  it('opens nothing whatever the string (never another error than a 400)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (cursor) => {
        expect(() => seal.open('list', cursor)).toThrow(InvalidCursor);
      }),
    );
  });

  it('during a rotation, opens what the previous key sealed and seals with the current one only', () => {
    const previous = 'the key before the rotation, 32+ bytes long';
    const rotated = cursorSeal('the key after the rotation, 32+ bytes long', [previous]);
    expect(rotated.open('list', cursorSeal(previous).seal('list', position))).toBe(position);
    const fresh = rotated.seal('list', position);
    expect(cursorSeal('the key after the rotation, 32+ bytes long').open('list', fresh)).toBe(position);
    expect(() => cursorSeal(previous).open('list', fresh)).toThrow(InvalidCursor);
    expect(() => rotated.open('list', cursorSeal('neither key of this deployment, 32+ bytes').seal('list', position))).toThrow(InvalidCursor);
  });

  it('needs a key of at least 32 bytes: a shorter one is a deployment fault', () => {
    expect(() => cursorSeal('short')).toThrow(InvalidConfiguration);
    expect(() => cursorSeal(KEY, ['short'])).toThrow(InvalidConfiguration);
  });
});

describe('the answer to a cursor this API did not hand out', () => {
  const answer = (parameter?: 'cursor' | 'before') => {
    try {
      seal.open('list', 'not.a-cursor', parameter);
    } catch (error) {
      return problemResponse(error, '/admin/complaints') as { statusCode: number; body: string };
    }
    throw new Error('opened');
  };

  it('is a 400 of its own that names the query parameter, not "the request body could not be read"', () => {
    const { statusCode, body } = answer('before');
    expect(statusCode).toBe(400);
    const problem = JSON.parse(body) as { type: string; title: string; detail: string };
    expect(problem.type).toMatch(/\/invalid-cursor$/);
    expect(problem.title).toBe('The paging cursor in the query string is not one this API handed out');
    expect(problem.detail).toMatch(/^The query parameter before cannot be used/);
    expect(problem.title).not.toMatch(/body/);
  });

  it('names `cursor` for a list', () => {
    expect(JSON.parse(answer().body).detail).toMatch(/^The query parameter cursor cannot be used/);
  });
});
