import type { Decider } from '../../kernel/index.js';
import type { PersonCommand, PersonFacts } from './commands.js';
import { decidePerson } from './decide.js';
import type { PersonEvent } from './events.js';
import type { PersonRejection } from './rejections.js';
import { evolvePerson, initialPersonState, type PersonState } from './state.js';

/**
 * The person aggregate as a decider (stream type `person`).
 *
 * @example
 * ```ts
 * replay(personDecider, events); // { status: 'active', personUid: 'PE-…', … }
 * ```
 */
export const personDecider: Decider<
  PersonState,
  PersonCommand,
  PersonEvent,
  PersonFacts | undefined,
  PersonRejection
> = {
  initialState: initialPersonState,
  decide: decidePerson,
  evolve: evolvePerson,
};
