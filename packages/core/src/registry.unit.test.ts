import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { decodeFixtures, defineEvent, isPetError, missingFixtures } from './kernel/index.js';
import { createPetRegistry, petEventDefinitions } from './registry.js';

const src = new URL('./', import.meta.url);
/** Every bounded context's frozen fixtures (the kernel's `sample.*` fixtures test the kernel only). */
const contexts = readdirSync(src, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'kernel')
  .map((e) => e.name)
  .filter((name) => {
    try {
      return readdirSync(new URL(`${name}/__fixtures__/events/`, src)).length > 0;
    } catch {
      return false;
    }
  });
const fixtures = Object.fromEntries(
  contexts.flatMap((name) => {
    const dir = new URL(`${name}/__fixtures__/events/`, src);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [`${name}/${f}`, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]);
  }),
);

describe('createPetRegistry', () => {
  test('given every context, when their definitions are combined, then no (type, version) is registered twice', () => {
    const keys = petEventDefinitions.map((d) => `${d.type}@${d.version}`);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(twice).toEqual([]);
    expect(() => createPetRegistry()).not.toThrow();
  });

  test('given the frozen fixtures of every context, when decoded through the one registry, then each decodes', () => {
    expect(contexts.sort()).toEqual([
      'commercial',
      'crm',
      'delivery',
      'identity',
      'knowledge',
      'support',
      'time',
    ]);
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(petEventDefinitions.length);
    expect(decodeFixtures(createPetRegistry(), fixtures)).toEqual([]);
  });

  test('given the one registry, when its types are listed, then every one has a frozen fixture in some context', () => {
    const registry = createPetRegistry();
    expect(registry.knownTypes().length).toBe(new Set(petEventDefinitions.map((d) => d.type)).size);
    expect(missingFixtures(registry, fixtures)).toEqual([]);
  });

  test("given a host's definition of a type PET owns, when the registry is created, then VALIDATION_FAILED names the duplicate", () => {
    const clash = defineEvent({
      type: 'employee.created',
      version: 1,
      payload: z.object({}),
    });
    let caught: unknown;
    try {
      createPetRegistry({ events: [clash] });
    } catch (e) {
      caught = e;
    }
    expect(isPetError(caught, 'VALIDATION_FAILED')).toBe(true);
    expect((caught as Error).message).toMatch(
      new RegExp(`events\\.${petEventDefinitions.length}: duplicate definition of employee\\.created v1`),
    );
  });

  test("given a host's own event type, when the registry is created with it, then it is registered beside PET's", () => {
    const own = defineEvent({ type: 'host.noted', version: 1, payload: z.object({}) });
    const registry = createPetRegistry({ events: [own] });
    expect(registry.currentVersion('host.noted')).toBe(1);
    expect(registry.currentVersion('quote.accepted')).toBe(1);
  });
});
