// Runs one BES job as a pull pipeline: the output upload pulls scored CSV from a generator, which pulls records from
// the streamed input blob, so memory stays flat whatever the file size and a slow side slows the other.
import { Readable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { featureHash } from '../feature-hashing.js';
import { TEXT_COLUMN, outputHeader } from '../rrs.js';
import { CsvError, CsvParser, csvField, csvLine, type CsvRecord } from '../../common/csv.js';
import { blockBlob, describeStorageError, relativeLocation, type BlobRef } from './storage.js';
import type { JobSpec } from './submit.js';

/** A job failure whose message is safe to show as the job's Details (no secrets). */
export class JobFailure extends Error {}

export interface RunOptions {
  signal: AbortSignal;
  /** Test aid: a pause per row, so a job can be caught while Running. */
  rowDelayMs?: number;
}

const BATCH_CHARS = 64 * 1024;
const UPLOAD_BLOCK_BYTES = 4 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;

const where = (ref: BlobRef): string => `${ref.name === 'input1' ? 'input' : 'output'} '${ref.name}' at '/${relativeLocation(ref.location)}'`;

function failure(ref: BlobRef, verb: string, err: unknown): JobFailure {
  return new JobFailure(`Could not ${verb} ${where(ref)}: ${describeStorageError(err)}.`);
}

/** Reads, scores and writes; resolves once the output blob is committed. Rejects with JobFailure or an abort. */
export async function runJob(spec: JobSpec, options: RunOptions): Promise<void> {
  const { signal } = options;
  let input;
  let output;
  try {
    input = blockBlob(spec.input);
  } catch (err) {
    throw failure(spec.input, 'read', err);
  }
  try {
    output = blockBlob(spec.output);
  } catch (err) {
    throw failure(spec.output, 'write', err);
  }
  let body: Readable;
  try {
    const download = await input.download(0, undefined, { abortSignal: signal });
    body = download.readableStreamBody as Readable;
  } catch (err) {
    signal.throwIfAborted();
    throw failure(spec.input, 'read', err);
  }
  let readFailure: unknown;
  const scored = Readable.from(scoreCsv(body, spec, options, (err) => (readFailure = err)), { objectMode: false });
  try {
    await output.uploadStream(scored, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY, {
      abortSignal: signal,
      blobHTTPHeaders: { blobContentType: 'text/csv; charset=utf-8' },
    });
  } catch (err) {
    if (readFailure !== undefined) throw readFailure;
    signal.throwIfAborted();
    throw failure(spec.output, 'write', err);
  } finally {
    // Whatever stopped the upload, stop reading the input too.
    scored.destroy();
    body.destroy();
  }
  signal.throwIfAborted();
}

/** The scored CSV in ~64 KB pieces; any failure is reported through onFailure as well as thrown. */
async function* scoreCsv(body: Readable, spec: JobSpec, options: RunOptions, onFailure: (err: unknown) => void): AsyncGenerator<Buffer> {
  const { signal, rowDelayMs = 0 } = options;
  const parser = new CsvParser();
  // The parser drops the BOM itself, so it sees the text exactly as stored.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const hashOptions = { bits: spec.bits, ngrams: spec.ngrams };
  let column = -1;
  let width = 0;
  let row = 0;
  let batch = '';

  const take = async function* (records: CsvRecord[]): AsyncGenerator<Buffer> {
    for (const record of records) {
      signal.throwIfAborted();
      if (column < 0) {
        column = record.fields.indexOf(TEXT_COLUMN);
        if (column < 0) column = record.fields.findIndex((name) => name.trim() === TEXT_COLUMN);
        if (column < 0) {
          const names = record.fields.slice(0, 10).map((name) => `'${name}'`).join(', ');
          throw new JobFailure(`Input '${spec.input.name}' has no column '${TEXT_COLUMN}' in its header row (columns: ${names}).`);
        }
        width = record.fields.length;
        batch += csvLine(outputHeader(spec.bits).names);
        continue;
      }
      row++;
      if (record.fields.length !== width) {
        throw new JobFailure(
          `Input '${spec.input.name}' is not valid CSV: row ${row} (line ${record.line}) has ${record.fields.length} fields but the header has ${width}.`,
        );
      }
      if (rowDelayMs > 0) await delay(rowDelayMs, undefined, { signal });
      const text = record.fields[column]!;
      batch += `${csvField(text)},${featureHash(text, hashOptions).join(',')}\r\n`;
      if (batch.length >= BATCH_CHARS) {
        yield Buffer.from(batch, 'utf8');
        batch = '';
        // Lets RRS requests and other jobs in between pieces of a big job.
        await nextTurn();
      }
    }
  };

  try {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) yield* take(parser.push(decoder.decode(chunk, { stream: true })));
    } catch (err) {
      if (err instanceof JobFailure || err instanceof CsvError) throw err;
      signal.throwIfAborted();
      throw failure(spec.input, 'read', err);
    }
    yield* take(parser.push(decoder.decode()));
    yield* take(parser.end());
    if (column < 0) throw new JobFailure(`Input '${spec.input.name}' is empty: a header row with a '${TEXT_COLUMN}' column is required.`);
    if (batch.length > 0) yield Buffer.from(batch, 'utf8');
  } catch (err) {
    const reported = err instanceof CsvError ? new JobFailure(`Input '${spec.input.name}' is not valid CSV: ${err.message}.`) : err;
    onFailure(reported);
    throw reported;
  }
}
