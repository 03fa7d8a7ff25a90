import fc from 'fast-check';
import departmentsFile from '../../config/departments.json';
import { channels, remedies } from '../../lambdas/core/complaint';
import {
  assignDepartment,
  departmentById,
  InvalidDepartmentRules,
  loadDepartmentRules,
  UnknownDepartment,
  type AssignmentFacts,
} from '../../lambdas/core/department-rules';
import { DomainError } from '../../lambdas/core/errors';

const rules = loadDepartmentRules(departmentsFile);

const facts = (overrides: Partial<AssignmentFacts>): AssignmentFacts => ({
  desiredRemedy: 'price_reduction',
  channel: 'web',
  description: 'Produkt nie działa zgodnie z opisem.',
  ...overrides,
});

/** A copy of the shipped file with some parts replaced, to test what the loader refuses. */
const withChanges = (changes: Record<string, unknown>) => ({ ...structuredClone(departmentsFile), ...changes });

/** A one-rule file, to pin down how description terms match without the demo rules in the way. */
const describingRules = (terms: string[]) =>
  loadDepartmentRules(
    withChanges({ rules: [{ id: 'words', description: 'test', department: 'logistics', when: { descriptionContainsAny: terms } }] }),
  );

describe('the shipped department rules', () => {
  it('load, with every department the workflow sends e-mail to', () => {
    expect(rules.version).toBe('2026-11-23.1');
    expect(rules.departments.map((department) => department.id)).toEqual(['triage', 'returns', 'service', 'payments', 'logistics']);
    expect(rules.fallback).toBe('triage');
  });

  it.each<[string, Partial<AssignmentFacts>, string, string]>([
    [
      'a delivery category goes to logistics even when a refund is asked for',
      { category: 'delivery', desiredRemedy: 'refund' },
      'logistics',
      'delivery-category-to-logistics',
    ],
    [
      'a payment category goes to payments even when a repair is asked for',
      { category: 'Payment', desiredRemedy: 'repair' },
      'payments',
      'payment-category-to-payments',
    ],
    [
      'a double charge goes to payments whatever remedy is asked for',
      { description: 'Zostałem dwukrotnie obciążony za to samo zamówienie.', desiredRemedy: 'replacement' },
      'payments',
      'double-charge-to-payments',
    ],
    [
      'a parcel that never arrived goes to logistics',
      { description: 'Przesyłka nie dotarła do dziś.', desiredRemedy: 'refund' },
      'logistics',
      'delivery-problem-to-logistics',
    ],
    [
      'a rude courier goes to logistics',
      { description: 'Kurier rzucił kartonem o ziemię.', desiredRemedy: 'repair' },
      'logistics',
      'delivery-problem-to-logistics',
    ],
    ['a refund goes to payments', { desiredRemedy: 'refund' }, 'payments', 'refund-to-payments'],
    ['a repair goes to service', { desiredRemedy: 'repair' }, 'service', 'repair-to-service'],
    ['a replacement goes to returns', { desiredRemedy: 'replacement' }, 'returns', 'replacement-to-returns'],
    [
      'a price reduction on a Shopify order goes to payments',
      { desiredRemedy: 'price_reduction', sourcePlatform: 'shopify' },
      'payments',
      'shop-price-reduction-to-payments',
    ],
    [
      'a price reduction on a WooCommerce order goes to payments',
      { desiredRemedy: 'price_reduction', sourcePlatform: 'WooCommerce' },
      'payments',
      'shop-price-reduction-to-payments',
    ],
  ])('%s', (_sentence, overrides, departmentId, ruleId) => {
    const match = assignDepartment(rules, facts(overrides));
    expect(match).toMatchObject({ departmentId, ruleId, rulesVersion: '2026-11-23.1' });
  });

  it.each<[string, Partial<AssignmentFacts>, string]>([
    ['a refund', { desiredRemedy: 'refund' }, 'rule "refund-to-payments": desiredRemedy is refund'],
    ['a category', { category: 'delivery' }, 'rule "delivery-category-to-logistics": category is delivery'],
    [
      'a price reduction from a shop platform',
      { sourcePlatform: 'shopify' },
      'rule "shop-price-reduction-to-payments": desiredRemedy is price_reduction and sourcePlatform is shopify',
    ],
    [
      'a description word, quoting the word as written and the term it matched',
      { description: 'Paczka przyszła pognieciona.', desiredRemedy: 'repair' },
      'rule "delivery-problem-to-logistics": description contains "Paczka" (term "paczk*")',
    ],
    [
      'a phrase, quoting every word of it',
      { description: 'Zamówienie NIE DOTARŁO na czas.' },
      'rule "delivery-problem-to-logistics": description contains "NIE DOTARŁO" (term "nie dotarł*")',
    ],
  ])('explain a match on %s in the reason', (_what, overrides, reason) => {
    expect(assignDepartment(rules, facts(overrides)).reason).toBe(reason);
  });

  it('send a price reduction from elsewhere to triage, saying no rule matched', () => {
    expect(assignDepartment(rules, facts({ desiredRemedy: 'price_reduction', sourcePlatform: 'allegro' }))).toEqual({
      departmentId: 'triage',
      ruleId: null,
      reason: 'no rule matched; fallback to triage',
      rulesVersion: '2026-11-23.1',
    });
  });

  it('send a complaint with no category or platform past the rules that need them', () => {
    expect(assignDepartment(rules, facts({ desiredRemedy: 'price_reduction' })).departmentId).toBe('triage');
  });
});

describe('rule order', () => {
  it('gives the complaint to the first rule that matches, not the most specific one later', () => {
    const twoRules = loadDepartmentRules(
      withChanges({
        rules: [
          { id: 'any-refund', description: 'first', department: 'payments', when: { desiredRemedy: ['refund'] } },
          { id: 'web-refund', description: 'second', department: 'returns', when: { desiredRemedy: ['refund'], channel: ['web'] } },
        ],
      }),
    );
    expect(assignDepartment(twoRules, facts({ desiredRemedy: 'refund', channel: 'web' })).ruleId).toBe('any-refund');
  });

  it('lets a description about delivery win over the remedy asked for in the shipped file', () => {
    expect(assignDepartment(rules, facts({ desiredRemedy: 'refund', description: 'Paczka zaginęła u przewoźnika.' })).departmentId).toBe('logistics');
  });

  it('requires every condition of a rule to hold', () => {
    const byChannel = loadDepartmentRules(
      withChanges({
        rules: [
          { id: 'phone-repair', description: 'x', department: 'service', when: { desiredRemedy: ['repair'], channel: ['phone', 'in_person'] } },
        ],
      }),
    );
    expect(assignDepartment(byChannel, facts({ desiredRemedy: 'repair', channel: 'in_person' })).reason).toBe(
      'rule "phone-repair": desiredRemedy is repair and channel is in_person',
    );
    expect(assignDepartment(byChannel, facts({ desiredRemedy: 'repair', channel: 'web' })).departmentId).toBe('triage');
    expect(assignDepartment(byChannel, facts({ desiredRemedy: 'refund', channel: 'phone' })).departmentId).toBe('triage');
  });
});

describe('description terms', () => {
  it.each<[string, string[], string, boolean]>([
    ['match without Polish diacritics and in any case', ['przesyłk*', 'nie dotarł*'], 'PRZESYLKA nie dotarla', true],
    ['match a description with diacritics against a term without them', ['przesylk*'], 'Przesyłka uszkodzona', true],
    ['match a description written with combining accents', ['zaginęł*'], 'Paczka zagine\u0328\u0142a', true],
    ['match every inflected form of a stem', ['uszkodz*'], 'Ekran jest uszkodzony, obudowa uszkodzona', true],
    ['match a phrase across punctuation and line breaks', ['nie dotarł*'], 'Towar... nie,\ndotarł', true],
    ['match a phrase written with a hyphen in the term', ['e-mail'], 'Nie dostałem e mail z potwierdzeniem', true],
    ['let a stem match a longer word that starts with it', ['paczk*'], 'Paczkomat nie otworzył skrytki', true],
    ['not let a word without * match a longer word', ['paczka'], 'Paczkomat nie otworzył skrytki', false],
    ['not match inside another word', ['dostaw*'], 'Nasz poddostawca się spóźnił', false],
    ['not match the end of another word', ['kurier*'], 'Superkurierzy zgubili list', false],
    ['not match a phrase whose words are apart', ['nie dotarł*'], 'Nie wiem, czy dotarło', false],
    ['not match the start of a phrase alone', ['nie dotarł*'], 'Nie działa', false],
  ])('%s', (_sentence, terms, description, matches) => {
    const match = assignDepartment(describingRules(terms), facts({ description }));
    expect(match.departmentId).toBe(matches ? 'logistics' : 'triage');
  });

  it('report the first term of the rule that matches, as written in the description', () => {
    const match = assignDepartment(describingRules(['kurier*', 'przesyłk*']), facts({ description: 'Przesylka: kurierzy jej nie przywieźli' }));
    expect(match.reason).toBe('rule "words": description contains "kurierzy" (term "kurier*")');
  });

  it('send "Przesylka nie dotarla" to logistics with the shipped rules', () => {
    expect(assignDepartment(rules, facts({ description: 'Przesylka nie dotarla', desiredRemedy: 'refund' }))).toMatchObject({
      departmentId: 'logistics',
      reason: 'rule "delivery-problem-to-logistics": description contains "nie dotarla" (term "nie dotarł*")',
    });
  });
});

describe('a broken rules file', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a rule pointing at an unknown department',
      { rules: [{ id: 'typo', description: 'x', department: 'servis', when: { desiredRemedy: ['repair'] } }] },
      /rules\.0\.department: rule "typo" points at "servis", which is not a department \(known: triage, returns, service, payments, logistics\)/,
    ],
    [
      'two rules with the same id',
      {
        rules: [
          { id: 'same', description: 'x', department: 'service', when: { desiredRemedy: ['repair'] } },
          { id: 'same', description: 'y', department: 'returns', when: { desiredRemedy: ['replacement'] } },
        ],
      },
      /rules\.1\.id: "same" is already the id of rules\.0/,
    ],
    ['a fallback that is not a department', { fallback: 'helpdesk' }, /fallback: "helpdesk" is not a department/],
    [
      'two departments with the same id',
      { departments: [departmentsFile.departments[0], departmentsFile.departments[0]], rules: [] },
      /departments\.1\.id: "triage" is already the id of departments\.0/,
    ],
    [
      'a rule with no conditions, which would make the fallback unreachable',
      { rules: [{ id: 'all', description: 'x', department: 'service', when: {} }] },
      /rules\.0\.when: a rule needs at least one condition/,
    ],
    [
      'a misspelt condition, which would otherwise be ignored and match too much',
      { rules: [{ id: 'typo', description: 'x', department: 'service', when: { desiredRemedy: ['repair'], descriptionContains: ['x'] } }] },
      /rules\.0\.when: .*descriptionContains/,
    ],
    [
      'a remedy the complaint schema does not know',
      { rules: [{ id: 'typo', description: 'x', department: 'service', when: { desiredRemedy: ['fix'] } }] },
      /rules\.0\.when\.desiredRemedy\.0:/,
    ],
    [
      'a stem too short to mean anything',
      { rules: [{ id: 'short', description: 'x', department: 'service', when: { descriptionContainsAny: ['na*'] } }] },
      /rules\.0\.when\.descriptionContainsAny\.0: "na\*": a stem before "\*" needs at least 3 letters/,
    ],
    [
      'a * inside a word',
      { rules: [{ id: 'star', description: 'x', department: 'service', when: { descriptionContainsAny: ['prze*syłka'] } }] },
      /descriptionContainsAny\.0: "prze\*syłka" must be words of letters or digits/,
    ],
    ['a version that is not date.counter', { version: 'latest' }, /version: must be the date of the change and a counter/],
  ])('is rejected with a clear message: %s', (_what, changes, message) => {
    const load = () => loadDepartmentRules(withChanges(changes));
    expect(load).toThrow(InvalidDepartmentRules);
    expect(load).toThrow(/^Invalid department rules in config\/departments\.json: /);
    expect(load).toThrow(message);
  });

  it('is rejected whole, naming every problem at once', () => {
    const load = () =>
      loadDepartmentRules(
        withChanges({
          fallback: 'helpdesk',
          rules: [
            { id: 'same', description: 'x', department: 'servis', when: { desiredRemedy: ['repair'] } },
            { id: 'same', description: 'y', department: 'returns', when: { desiredRemedy: ['replacement'] } },
          ],
        }),
      );
    expect(load).toThrow(/fallback: .*; rules\.0\.department: .*; rules\.1\.id: /);
  });
});

describe('looking a department up by id', () => {
  it('returns its names and addresses', () => {
    expect(departmentById(rules, 'service')).toEqual({
      id: 'service',
      name: 'Serwis i naprawy',
      nameEn: 'Service and repairs',
      email: 'serwis@sklep.example',
      supervisorEmail: 'kierownik.serwisu@sklep.example',
    });
  });

  it('throws UnknownDepartment, a 422 domain error naming the known ids, for an id not in the file', () => {
    const lookUp = () => departmentById(rules, 'marketing');
    expect(lookUp).toThrow(UnknownDepartment);
    expect(lookUp).toThrow('There is no department "marketing" (known: triage, returns, service, payments, logistics).');
    try {
      lookUp();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ status: 422, type: 'unknown-department', name: 'UnknownDepartment' });
    }
  });
});

describe('for any complaint', () => {
  const ruleWords = rules.rules.flatMap((rule) => rule.when.descriptionContainsAny ?? []).map((term) => term.replace(/\*/g, 'a'));
  const descriptionWord = fc.oneof(fc.constantFrom(...ruleWords, 'paczkomat', 'poddostawca', 'ekran'), fc.string({ maxLength: 12 }));
  const anyFacts: fc.Arbitrary<AssignmentFacts> = fc.record(
    {
      category: fc.oneof(fc.constantFrom('delivery', 'payment', 'quality'), fc.string({ maxLength: 10 })),
      desiredRemedy: fc.constantFrom(...remedies),
      channel: fc.constantFrom(...channels),
      sourcePlatform: fc.oneof(fc.constantFrom('shopify', 'woocommerce', 'allegro'), fc.string({ maxLength: 10 })),
      description: fc.array(descriptionWord, { maxLength: 20 }).map((words) => words.join(' ')),
    },
    { requiredKeys: ['desiredRemedy', 'channel', 'description'] },
  );

  it('assigns a department that exists in the file, with a reason', () => {
    fc.assert(
      fc.property(anyFacts, (complaint) => {
        const match = assignDepartment(rules, complaint);
        expect(departmentById(rules, match.departmentId).id).toBe(match.departmentId);
        expect(match.reason.trim()).not.toBe('');
        expect(match.rulesVersion).toBe(rules.version);
        if (match.ruleId === null) expect(match.departmentId).toBe(rules.fallback);
        else expect(rules.rules.find((rule) => rule.id === match.ruleId)?.department).toBe(match.departmentId);
      }),
    );
  });

  it('assigns the same department whether the description has Polish diacritics and capitals or not', () => {
    const polish = fc.string({ unit: fc.constantFrom(...'aąbcćdeęfghijklłmnńoóprsśtuwyzźż ,.'.split('')), maxLength: 60 });
    const withPolishText = fc.tuple(anyFacts, fc.array(fc.oneof(polish, fc.constantFrom(...ruleWords)), { maxLength: 6 }));
    const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L');
    fc.assert(
      fc.property(withPolishText, ([complaint, parts]) => {
        const description = parts.join(' ');
        const written = assignDepartment(rules, { ...complaint, description });
        const shouted = assignDepartment(rules, { ...complaint, description: plain(description).toUpperCase() });
        expect(shouted.departmentId).toBe(written.departmentId);
        expect(shouted.ruleId).toBe(written.ruleId);
      }),
    );
  });
});
