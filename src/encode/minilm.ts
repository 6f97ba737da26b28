/**
 * all-MiniLM-L6-v2 (int8) through @huggingface/transformers, as sentence-transformers runs it: tokens truncated at
 * 256 (what the model was trained on, though its tokenizer config says 512), mean pooling over the real tokens,
 * unit length. Texts are batched in order of token count so that little time goes to padding.
 */
import { silentProgress, type Progress } from '../progress.js';
import { normaliseRows } from '../math/vector.js';
import { requireModelFiles, transformersFor, weightsFingerprint, type ModelSource, type PretrainedModel } from './models.js';
import type { TextEncoder } from './text.js';

export const MINILM: PretrainedModel = {
  name: 'all-MiniLM-L6-v2',
  repo: 'Xenova/all-MiniLM-L6-v2',
  files: ['onnx/model_quantized.onnx', 'config.json', 'tokenizer.json', 'tokenizer_config.json'],
};

export const MINILM_DIM = 384;
export const MINILM_MAX_TOKENS = 256;

/** Bumped whenever this file would turn the same text into a different vector (pooling, truncation). */
const REVISION = 1;

export interface MiniLmOptions {
  /** Texts per forward pass. */
  batchSize?: number;
  /** ONNX Runtime threads within one pass; by default one per core. */
  threads?: number;
}

/** The version vectors from these weights carry, known without loading the model (a re-run that has nothing to encode skips it). */
export async function miniLmVersion(source: ModelSource): Promise<string> {
  requireModelFiles(source, MINILM);
  return `${REVISION}.${await weightsFingerprint(source, MINILM)}`;
}

export async function loadMiniLm(source: ModelSource, options: MiniLmOptions = {}): Promise<TextEncoder> {
  requireModelFiles(source, MINILM);
  const { AutoTokenizer, AutoModel, Tensor } = await transformersFor(source);
  const tokenizer = await AutoTokenizer.from_pretrained(MINILM.repo);
  const model = await AutoModel.from_pretrained(MINILM.repo, {
    dtype: 'q8',
    // Severity 3 (errors only): ONNX Runtime's graph-optimisation notes would otherwise land on stderr.
    session_options: { logSeverityLevel: 3, ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }) },
  });
  const batchSize = options.batchSize ?? 32;
  const version = await miniLmVersion(source);

  /** [CLS] text [SEP], cut to 256 tokens as sentence-transformers does: transformers.js would cut off the [SEP] too. */
  const tokenIds = (text: string): BigInt64Array => {
    const ids = (tokenizer(text) as { input_ids: { data: BigInt64Array } }).input_ids.data;
    if (ids.length <= MINILM_MAX_TOKENS) return ids;
    const truncated = ids.slice(0, MINILM_MAX_TOKENS);
    truncated[MINILM_MAX_TOKENS - 1] = ids[ids.length - 1]!;
    return truncated;
  };

  async function encode(texts: readonly string[], progress: Progress = silentProgress): Promise<Float32Array> {
    const tokens = texts.map(tokenIds);
    const order = Array.from(texts.keys()).sort((a, b) => tokens[a]!.length - tokens[b]!.length);
    const vectors = new Float32Array(texts.length * MINILM_DIM);
    const bar = progress('minilm', texts.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize).map((index) => ({ index, ids: tokens[index]! }));
      const length = batch.at(-1)!.ids.length;
      const inputIds = new BigInt64Array(batch.length * length);
      const attentionMask = new BigInt64Array(batch.length * length);
      batch.forEach(({ ids }, row) => {
        inputIds.set(ids, row * length);
        attentionMask.fill(1n, row * length, row * length + ids.length);
      });
      const dims = [batch.length, length];
      const output = (await model({
        input_ids: new Tensor('int64', inputIds, dims),
        attention_mask: new Tensor('int64', attentionMask, dims),
        token_type_ids: new Tensor('int64', new BigInt64Array(inputIds.length), dims),
      })) as { last_hidden_state: { data: Float32Array } };
      batch.forEach(({ index, ids }, row) => meanPool(output.last_hidden_state.data, row * length, ids.length, vectors, index * MINILM_DIM));
      bar.tick(batch.length);
    }
    bar.done();
    return normaliseRows(vectors, MINILM_DIM);
  }

  return { id: 'minilm', version, dim: MINILM_DIM, encode };
}

/** Mean of the first `count` token states from `from` (the real tokens: padding comes after them). */
function meanPool(states: Float32Array, fromToken: number, count: number, out: Float32Array, at: number): void {
  for (let token = 0; token < count; token++) {
    const offset = (fromToken + token) * MINILM_DIM;
    for (let i = 0; i < MINILM_DIM; i++) out[at + i]! += states[offset + i]!;
  }
  for (let i = 0; i < MINILM_DIM; i++) out[at + i]! /= count;
}
