/**
 * A place outside the database that receives every signed checkpoint, so that a witness the
 * server's administrator does not control holds the log's history: cutting the log and its
 * checkpoint table is then still detected against the witness's copy.
 */
export interface CheckpointSink {
  /** Names the sink in logs, e.g. `file:/var/lib/konvent/audit/checkpoints.log`. */
  readonly name: string;
  /**
   * Delivers one signed checkpoint. Rejects when it could not be delivered; the audit log
   * then retries it later (in order), and never lets a slow or failing sink hold up
   * `record()`.
   */
  publish(checkpoint: string): Promise<void>;
}

/**
 * Splits text holding several signed checkpoints, as `FileCheckpointSink` writes them (each
 * note followed by a blank line), into the notes. Each note is the body lines, a blank line
 * and its signature lines (which start with an em dash); anything else is left to the
 * checkpoint parser to refuse.
 */
export function splitCheckpoints(text: string): string[] {
  const notes: string[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    if (lines[i] === '') {
      i++;
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && lines[i] !== '') body.push(lines[i++] as string);
    i++; // the blank line between body and signatures
    const signatures: string[] = [];
    while (i < lines.length && (lines[i] as string).startsWith('\u2014 ')) {
      signatures.push(lines[i++] as string);
    }
    notes.push(`${body.join('\n')}\n\n${signatures.map((line) => `${line}\n`).join('')}`);
  }
  return notes;
}
