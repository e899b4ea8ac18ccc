/**
 * A tiny sample aggregate shared by the kernel's and the testing helpers' tests (not a test file
 * itself: the `.test.ts` suffix only keeps it out of builds and the published package).
 */
import { z } from 'zod';
import {
  type AggregateBinding,
  type AggregateDefinition,
  createEventRegistry,
  type Decider,
  defineEvent,
  type EventOf,
  err,
  ok,
  type Rejection,
  reject,
} from '../kernel/index.js';

export const counterOpened = defineEvent({ type: 'counter.opened', version: 1, payload: z.object({}) });
export const counterAdded = defineEvent({
  type: 'counter.added',
  version: 1,
  payload: z.object({ by: z.number().int().positive() }),
});
export const counterClosed = defineEvent({ type: 'counter.closed', version: 1, payload: z.object({}) });

export type CounterEvent =
  | EventOf<typeof counterOpened>
  | EventOf<typeof counterAdded>
  | EventOf<typeof counterClosed>;
export type CounterCommand = { type: 'open' } | { type: 'add'; by: number } | { type: 'close' };
export type CounterState =
  | { status: 'absent' }
  | { status: 'open'; n: number }
  | { status: 'closed'; n: number };
/** Facts from elsewhere: an optional upper limit. */
export type CounterFacts = { readonly limit?: number } | undefined;
export type CounterRejection = Rejection<
  'COUNTER_ALREADY_OPEN' | 'COUNTER_NOT_OPEN' | 'COUNTER_INVALID_STEP' | 'COUNTER_LIMIT_EXCEEDED'
>;

export const counterDecider: Decider<
  CounterState,
  CounterCommand,
  CounterEvent,
  CounterFacts,
  CounterRejection
> = {
  initialState: () => ({ status: 'absent' }),
  decide: (command, state, facts) => {
    switch (command.type) {
      case 'open':
        return state.status === 'absent'
          ? ok([{ type: 'counter.opened', payload: {} }])
          : err(reject('COUNTER_ALREADY_OPEN', 'the counter exists already', { status: state.status }));
      case 'add': {
        if (state.status !== 'open')
          return err(reject('COUNTER_NOT_OPEN', 'the counter is not open', { status: state.status }));
        if (!Number.isInteger(command.by) || command.by < 1) {
          return err(reject('COUNTER_INVALID_STEP', 'steps are positive integers', { by: command.by }));
        }
        const limit = facts?.limit;
        if (limit !== undefined && state.n + command.by > limit) {
          return err(reject('COUNTER_LIMIT_EXCEEDED', 'the limit would be exceeded', { limit, n: state.n }));
        }
        return ok([{ type: 'counter.added', payload: { by: command.by } }]);
      }
      case 'close':
        return state.status === 'open'
          ? ok([{ type: 'counter.closed', payload: {} }])
          : err(reject('COUNTER_NOT_OPEN', 'the counter is not open', { status: state.status }));
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'counter.opened':
        return { status: 'open', n: 0 };
      case 'counter.added':
        return state.status === 'open' ? { status: 'open', n: state.n + event.payload.by } : state;
      case 'counter.closed':
        return state.status === 'open' ? { status: 'closed', n: state.n } : state;
    }
  },
};

export const counterDefinition: AggregateDefinition<CounterState> = {
  streamType: 'counter',
  initialState: counterDecider.initialState,
  encode: (state) => JSON.stringify(state),
  decode: (stored) => JSON.parse(stored as string) as CounterState,
};

export const counterBinding: AggregateBinding<
  CounterState,
  CounterCommand,
  CounterEvent,
  CounterFacts,
  CounterRejection
> = {
  definition: counterDefinition,
  decider: counterDecider,
};

export const counterRegistry = createEventRegistry({ events: [counterOpened, counterAdded, counterClosed] });
