import { workerData } from 'node:worker_threads';
import { yieldToApi } from '../../local/yield-to-api';

// A stand-in for the workflows' thread (yield-to-api.test.ts): it steps aside as that thread does, and counts
// the milliseconds it gets to run in `ticks`.

const { shared, ticks } = workerData as { shared: Int32Array; ticks: Int32Array };
yieldToApi(shared);
setInterval(() => Atomics.add(ticks, 0, 1), 1);
