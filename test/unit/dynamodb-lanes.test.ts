import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BACKGROUND_CONCURRENCY, countInFlight, requestLanes, sharedInFlight, STARVED_AFTER_MS } from '../../local/dynamodb-lanes';

// The local DynamoDB's two doors (local/dynamodb-lanes.ts): the workflows' requests wait while the API's are in
// flight. Requests and responses are stand-ins here: a response "closes" when the test says it was answered.

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse & { answer(): void };
}

function exchange(): Exchange {
  const response = Object.assign(new EventEmitter(), { destroyed: false }) as unknown as Exchange['response'];
  response.answer = () => {
    (response as { destroyed: boolean }).destroyed = true;
    response.emit('close');
  };
  return { request: {} as IncomingMessage, response };
}

let started: string[];
let lanes: ReturnType<typeof requestLanes>;
const listener = (name: string) => () => void started.push(name);
const foreground = (name: string) => {
  const { request, response } = exchange();
  lanes.foreground(listener(name))(request, response);
  return response;
};
const background = (name: string) => {
  const { request, response } = exchange();
  lanes.background(listener(name))(request, response);
  return response;
};

beforeEach(() => {
  jest.useFakeTimers();
  started = [];
  lanes = requestLanes();
});

afterEach(() => jest.useRealTimers());

it('serves a background request at once while the foreground is quiet', () => {
  background('b1');
  expect(started).toEqual(['b1']);
});

it('holds a background request while a foreground one is in flight, and serves it when that is answered', () => {
  const api = foreground('f1');
  background('b1');
  expect(started).toEqual(['f1']);
  api.answer();
  expect(started).toEqual(['f1', 'b1']);
});

it(`serves at most ${BACKGROUND_CONCURRENCY} background request(s) at once, the rest in arrival order as each is answered`, () => {
  const answers = ['b1', 'b2', 'b3'].map(background);
  expect(started).toEqual(['b1', 'b2', 'b3'].slice(0, BACKGROUND_CONCURRENCY));
  answers[0]!.answer();
  expect(started).toEqual(['b1', 'b2', 'b3'].slice(0, BACKGROUND_CONCURRENCY + 1));
});

it(`lets one background request through ${STARVED_AFTER_MS} ms after the last while the foreground stays busy, and the next no sooner`, () => {
  background('b0').answer(); // the last one let through, at time 0
  foreground('f1'); // in flight throughout
  const first = background('b1');
  background('b2');
  jest.advanceTimersByTime(STARVED_AFTER_MS - 1);
  expect(started).toEqual(['b0', 'f1']);
  jest.advanceTimersByTime(1);
  expect(started).toEqual(['b0', 'f1', 'b1']);

  jest.advanceTimersByTime(10);
  first.answer(); // b1 answered 10 ms after it was let through; the foreground is still busy
  jest.advanceTimersByTime(STARVED_AFTER_MS - 11);
  expect(started).toEqual(['b0', 'f1', 'b1']);
  jest.advanceTimersByTime(1);
  expect(started).toEqual(['b0', 'f1', 'b1', 'b2']);
});

it('skips a background request whose client left while it waited', () => {
  const api = foreground('f1');
  const gone = background('b1');
  background('b2');
  gone.answer(); // the client closed the connection: its response is destroyed before it started
  api.answer();
  expect(started).toEqual(['f1', 'b2']);
});

describe("the API's requests, counted on the API's thread", () => {
  beforeEach(() => jest.useRealTimers());
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('hold a background request while one is in flight there, and let it through once it is answered', async () => {
    const counter = sharedInFlight();
    lanes = requestLanes({ elsewhere: counter, now: () => 0 }); // a clock that never lets a starved request through
    const api = exchange().response;
    countInFlight(counter, api);
    expect(Atomics.load(counter, 0)).toBe(1);
    background('b1');
    await settle();
    expect(started).toEqual([]);
    api.answer(); // on the API's thread: the counter goes down, waking no one; the lanes look again (QUIET_CHECK_MS)
    expect(Atomics.load(counter, 0)).toBe(0);
    await settle();
    expect(started).toEqual(['b1']);
  });

  it('leave the background door open while none is in flight', () => {
    lanes = requestLanes({ elsewhere: sharedInFlight() });
    background('b1');
    expect(started).toEqual(['b1']);
  });
});
