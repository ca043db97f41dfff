import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { ManualTimers, Scheduler } from '../../src/scheduler.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};
const flush = () => new Promise<void>((r) => setImmediate(r));

function setup() {
  const clock = new ManualClock(1000);
  const timers = new ManualTimers();
  const errors: [string, unknown][] = [];
  const scheduler = new Scheduler({ clock, timers, logger: { error: (m, e) => errors.push([m, e]) } });
  return { clock, timers, errors, scheduler };
}

describe('scheduler', () => {
  test('jobs run at their own intervals once started', async () => {
    const { timers, scheduler } = setup();
    const runs: string[] = [];
    scheduler.add('fast', 10, () => {
      runs.push('fast');
    });
    scheduler.add('slow', 25, () => {
      runs.push('slow');
    });
    timers.tick(60_000);
    assert.deepEqual(runs, [], 'nothing runs before start');
    scheduler.start();
    for (let i = 0; i < 3; i++) {
      timers.tick(10_000);
      await flush();
    }
    assert.deepEqual(runs, ['fast', 'fast', 'slow', 'fast']);
    assert.equal(scheduler.stats('fast')!.runs, 3);
    await scheduler.stop();
  });

  test('runAtStart runs once immediately', async () => {
    const { scheduler } = setup();
    let n = 0;
    scheduler.add(
      'info',
      300,
      () => {
        n++;
      },
      { runAtStart: true },
    );
    scheduler.start();
    await flush();
    assert.equal(n, 1);
    await scheduler.stop();
  });

  test('a slow job is never run twice at once: ticks are skipped', async () => {
    const { timers, scheduler } = setup();
    let concurrent = 0;
    let maxConcurrent = 0;
    let started = 0;
    let gate = deferred();
    scheduler.add('slow', 1, async () => {
      started++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await gate.promise;
      concurrent--;
    });
    scheduler.start();
    timers.tick(1000);
    timers.tick(1000);
    timers.tick(1000);
    await flush();
    assert.equal(started, 1);
    assert.equal(scheduler.stats('slow')!.skipped, 2);
    assert.equal(scheduler.stats('slow')!.running, true);
    gate.resolve();
    await flush();
    gate = deferred();
    timers.tick(1000);
    await flush();
    assert.equal(started, 2);
    assert.equal(maxConcurrent, 1);
    gate.resolve();
    await scheduler.stop();
  });

  test('runNow waits for the run in progress, then runs', async () => {
    const { timers, scheduler } = setup();
    const gate = deferred();
    const order: string[] = [];
    let first = true;
    scheduler.add('job', 60, async () => {
      if (first) {
        first = false;
        order.push('tick:start');
        await gate.promise;
        order.push('tick:end');
      } else {
        order.push('now');
      }
    });
    scheduler.start();
    timers.tick(60_000);
    const now = scheduler.runNow('job');
    await flush();
    assert.deepEqual(order, ['tick:start']);
    gate.resolve();
    assert.equal(await now, true);
    assert.deepEqual(order, ['tick:start', 'tick:end', 'now']);
    await scheduler.stop();
  });

  test('errors are logged, not thrown, and the job runs again next time', async () => {
    const { clock, timers, errors, scheduler } = setup();
    let n = 0;
    scheduler.add('flaky', 5, () => {
      n++;
      if (n === 1) throw new Error('relay down');
    });
    scheduler.add('rejects', 5, () => Promise.reject(new Error('async failure')));
    scheduler.start();
    clock.advance(5);
    timers.tick(5000);
    await flush();
    assert.equal(errors.length, 2);
    assert.match(errors[0]![0], /flaky failed/);
    assert.equal(scheduler.stats('flaky')!.lastError, 'relay down');
    assert.equal(scheduler.stats('flaky')!.lastStartedAt, 1005);
    timers.tick(5000);
    await flush();
    assert.equal(n, 2);
    assert.equal(scheduler.stats('flaky')!.failures, 1);
    assert.equal(scheduler.stats('flaky')!.lastError, null);
    assert.equal(await scheduler.runNow('rejects'), false);
    assert.equal(scheduler.stats('rejects')!.failures, 3, 'two ticks and runNow');
    await scheduler.stop();
  });

  test('stop clears timers and waits for runs in progress', async () => {
    const { timers, scheduler } = setup();
    const gate = deferred();
    let finished = false;
    let runs = 0;
    scheduler.add('job', 1, async () => {
      runs++;
      await gate.promise;
      finished = true;
    });
    scheduler.start();
    timers.tick(1000);
    const stopped = scheduler.stop();
    assert.equal(timers.active, 0);
    let stopDone = false;
    void stopped.then(() => {
      stopDone = true;
    });
    await flush();
    assert.equal(stopDone, false, 'stop waits for the run');
    gate.resolve();
    await stopped;
    assert.equal(finished, true);
    timers.tick(10_000);
    assert.equal(runs, 1);
    assert.equal(await scheduler.runNow('job'), false);
  });

  test('bad registrations are refused', () => {
    const { scheduler } = setup();
    scheduler.add('a', 1, () => {});
    assert.throws(() => scheduler.add('a', 1, () => {}), /already exists/);
    assert.throws(() => scheduler.add('b', 0, () => {}), /interval/);
    assert.rejects(() => scheduler.runNow('nope'), /no job/);
    assert.deepEqual(scheduler.names(), ['a']);
  });

  test('a job added after start is armed at once', async () => {
    const { timers, scheduler } = setup();
    scheduler.start();
    let n = 0;
    scheduler.add('late', 2, () => {
      n++;
    });
    timers.tick(2000);
    await flush();
    timers.tick(2000);
    await flush();
    assert.equal(n, 2);
    await scheduler.stop();
  });
});
