import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckpointSink } from './CheckpointSink.ts';

/**
 * Appends every checkpoint to a file, each followed by a blank line (read them back with
 * `splitCheckpoints`), and fsyncs before the delivery counts. The file is opened for
 * appending only, so the server never rewrites what it wrote; point it at storage the
 * database administrator cannot change (another disk, a WORM mount, a synced folder), and
 * give it to `audit verify --checkpoints <file>`.
 */
export class FileCheckpointSink implements CheckpointSink {
  readonly name: string;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    this.name = `file:${path}`;
  }

  /** The file's path. */
  get path(): string {
    return this.#path;
  }

  /** Appends the checkpoint and a blank line, then fsyncs the file. */
  async publish(checkpoint: string): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const handle = await open(this.#path, 'a', 0o600);
    try {
      await handle.appendFile(`${checkpoint}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
