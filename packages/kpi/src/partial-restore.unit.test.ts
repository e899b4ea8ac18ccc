import { isPetError } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { checkpointDeltaText } from './checkpoints.js';
import type { KpiDefinitionVersion } from './definition.js';
import { createKpiEngine } from './engine.js';
import type { MeasureKind } from './measure-kind.js';
import { leadingStrings } from './partial-restore.js';
import { activePeople, at, distinctActorsKind, emp, stream, uuid } from './test-support.test.js';

const distinctActors = distinctActorsKind;

const definition = (kind: `plugin:${string}`): KpiDefinitionVersion => activePeople(kind);

const leads = (actors: readonly number[]) =>
  stream(
    actors.map((n, i) => ({
      type: 'lead.created',
      at: at(i),
      payload: { leadId: uuid(100 + i) },
      actor: emp(n),
    })),
  );

describe('leadingStrings', () => {
  it('reads the first two strings of a tuple line, and gives up on escapes or another shape', () => {
    expect(leadingStrings('["sales.x@1","emp-1","2026-01-01",1,2],')).toEqual(['sales.x@1', 'emp-1']);
    expect(leadingStrings('["g@1","",3]')).toEqual(['g@1', '']);
    expect(leadingStrings('["a\\"b","c",1]')).toBeNull();
    expect(leadingStrings('["a","c\\\\",1]')).toBeNull();
    expect(leadingStrings('["a",1,"c"]')).toBeNull();
    expect(leadingStrings('{"a":1}')).toBeNull();
    expect(leadingStrings('["a","unterminated')).toBeNull();
  });
});

describe('catchUpJson', () => {
  const engine = createKpiEngine({
    definitions: [definition('plugin:distinct-actors')],
    orgTimeZone: 'UTC',
    measureKinds: [distinctActors],
  });
  // Six actors stored, then two more events: actor 1 again (stored), then actor 2 again.
  const events = leads([1, 2, 3, 4, 5, 6, 1, 2]);
  const stored = events.slice(0, 6);

  it('given a stored state, when a catch-up restores only what its events read, then it writes what a whole restore writes, reading the text once per pass', async () => {
    const head = await engine.run(engine.initialState(), stored);
    const text = [...engine.checkpointJson(head)];
    let reads = 0;
    const pieces = () => {
      reads++;
      return text;
    };
    const partial = await engine.catchUpJson(pieces, [], events.slice(6, 7));
    const whole = await engine.run(await engine.restoreJson(text), events.slice(6, 7));
    expect(engine.resultsSince(partial, head.watermark)).toEqual(engine.resultsSince(whole, head.watermark));
    expect(engine.checkpointDelta(partial)).toEqual(engine.checkpointDelta(whole));
    // Pass 1 restores nothing and learns the actor's entity and row; pass 2 restores them and settles.
    expect(reads).toBe(2);
    // Events the fold does not read settle in one pass (a new key is asked for once, as a stored one).
    reads = 0;
    const other = stream([
      ...[1, 2, 3, 4, 5, 6].map((n, i) => ({
        type: 'lead.created',
        at: at(i),
        payload: { leadId: uuid(100 + i) },
        actor: emp(n),
      })),
      { type: 'lead.qualified', at: at(6), payload: { leadId: uuid(100) }, actor: emp(1) },
    ]);
    // That pass wants no tuple: it reads the text's head and not the rest.
    const joined = text.join('');
    const small = Array.from({ length: Math.ceil(joined.length / 40) }, (_, i) =>
      joined.slice(i * 40, i * 40 + 40),
    );
    let yielded = 0;
    const counted = () => {
      reads++;
      return (function* () {
        for (const piece of small) {
          yielded++;
          yield piece;
        }
      })();
    };
    const moved = await engine.catchUpJson(counted, [], other.slice(6));
    expect(reads).toBe(1);
    expect(moved.watermark).toBe(7n);
    expect(yielded).toBeLessThan(small.length / 2);
    reads = 0;
    await engine.catchUpJson(pieces, [], leads([1, 2, 3, 4, 5, 6, 9]).slice(6));
    expect(reads).toBe(2);
  });

  it('given a state restored for one event, when another event reads what was not restored, or a whole-state answer is asked, then it is refused', async () => {
    const head = await engine.run(engine.initialState(), stored);
    const text = [...engine.checkpointJson(head)];
    const partial = await engine.catchUpJson(() => text, [], events.slice(6, 7));
    let refused: unknown;
    try {
      engine.apply(partial, events[7] as (typeof events)[number]);
    } catch (e) {
      refused = e;
    }
    expect(isPetError(refused) && refused.code).toBe('VALIDATION_FAILED');
    expect(String((refused as Error).message)).toMatch(/restored for given events/);
    for (const whole of [
      () => engine.results(partial),
      () => engine.checkpoint(partial),
      () => [...engine.checkpointJson(partial)],
      () => [...engine.eachResult(partial)],
    ]) {
      expect(whole).toThrow(/must be a whole state/);
    }
  });

  it('given a fold that asks for a new key on every pass, when it never settles, then the whole state is restored and the catch-up is still exact', async () => {
    let asked = 0;
    // Asks for a key no earlier pass asked for: the learnt sets never cover a pass.
    const restless: MeasureKind = {
      ...distinctActors,
      kind: 'plugin:restless',
      compile: () => {
        const inner = distinctActors.compile(undefined);
        return {
          ...inner,
          fold(ctx) {
            ctx.get(`probe-${asked++}`);
            inner.fold(ctx);
          },
        };
      },
    };
    const restlessEngine = createKpiEngine({
      definitions: [definition('plugin:restless')],
      orgTimeZone: 'UTC',
      measureKinds: [restless],
    });
    const head = await restlessEngine.run(restlessEngine.initialState(), stored);
    const text = [...restlessEngine.checkpointJson(head)];
    const partial = await restlessEngine.catchUpJson(() => text, [], events.slice(6));
    const whole = await restlessEngine.run(await restlessEngine.restoreJson(text), events.slice(6));
    // Restored whole: it answers for everything.
    expect(restlessEngine.results(partial)).toEqual(restlessEngine.results(whole));
    expect(restlessEngine.checkpointDelta(partial)).toEqual(restlessEngine.checkpointDelta(whole));
  });
});

describe('checkpointDeltaText', () => {
  it('given a delta as text, when it is cut short or is not a delta, then a restore refuses it naming the deltas', async () => {
    const engine = createKpiEngine({
      definitions: [definition('plugin:distinct-actors')],
      orgTimeZone: 'UTC',
      measureKinds: [distinctActors],
    });
    const events = leads([1, 2, 3, 1, 4]);
    const head = await engine.run(engine.initialState(), events.slice(0, 3));
    const text = [...engine.checkpointJson(head)];
    await engine.run(head, events.slice(3));
    const delta = checkpointDeltaText(engine.checkpointDelta(head));
    expect(delta.split('\n').length).toBeGreaterThan(4);
    const cut = delta.slice(0, delta.lastIndexOf('\n'));
    await expect(engine.restoreJson(text, [cut])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/deltas: a delta must end with its entities closed/),
    });
    await expect(
      engine.catchUpJson(
        () => text,
        () => [`${delta}x`],
        [],
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const restored = await engine.restoreJson(text, [delta]);
    expect(restored.watermark).toBe(5n);
  });
});
