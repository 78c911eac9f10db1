import { readFile, unlink, writeFile } from 'node:fs/promises';

/** Lock files held by this process, so a second open in the same process is caught too. */
const held = new Set<string>();

/** Whether a process with this id is running (a process of another user counts). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock file holding our process id, and resolves to its release
 * function. PGlite has no lock of its own, and two instances on one data folder corrupt
 * it. A lock left by a process that no longer runs is taken over; so is one with our own
 * id that this process does not hold (a container restarted under the same pid).
 */
export async function lockDirectory(lockFile: string, what: string): Promise<() => Promise<void>> {
  if (held.has(lockFile)) throw new Error(`${what} is already open in this process`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      held.add(lockFile);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        held.delete(lockFile);
        await unlink(lockFile).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
      throw new Error(`${what} is in use by process ${owner} (lock file ${lockFile})`);
    }
    await unlink(lockFile).catch(() => undefined);
  }
  throw new Error(`cannot take the lock ${lockFile} for ${what}`);
}
