// Watchdog spawned (detached) by setupRegtest: if the process that started the network dies without
// tearing it down (crash, SIGKILL), this kills every daemon listed in the state file and removes the
// temporary directories. It exits on its own once the state file is gone (normal teardown).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAlive, runsWith, stopProcess } from './proc.mjs';

const stateFile = process.argv[2];
const readState = () => {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return null;
  }
};

for (;;) {
  await new Promise((r) => setTimeout(r, 1000));
  if (!existsSync(stateFile)) process.exit(0);
  const state = readState();
  if (!state || isAlive(state.parentPid)) continue;
  await Promise.all(
    (state.pids ?? []).filter((pid) => runsWith(pid, state.dirs[0])).map((pid) => stopProcess(pid, 3000)),
  );
  for (const dir of state.dirs ?? []) rmSync(dir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
  process.exit(0);
}
