import { syntheticCatalog } from './test/fuse/synthetic.js';
import { trainFusion, FUSION_DEFAULTS } from './src/fuse/train.js';
import { interactionsFingerprint } from './src/interactions.js';
const c = syntheticCatalog();
const r = await trainFusion({ inputs: c.inputs, movies: c.movies, interactions: c.interactions, trainedOn: interactionsFingerprint(c.interactions) },
  { ...FUSION_DEFAULTS, dim: 16, hidden: 32, textComponents: 16, imageComponents: 8, epochs: 40, patience: 40, anchorsPerTask: 8, learningRate: 3e-3, linearRate: 1e-3 }, 2);
console.log(r.bestEpoch, r.epochs.filter((e, i) => i % 5 === 0).map((e) => `${e.epoch} ${e.score.toFixed(3)} dir ${e.validationAccuracy.director!.toFixed(2)}`).join(' | '));
console.log(r.tasks.map((t) => `${t.name} ${t.validationAccuracy.toFixed(2)}/${t.fixedValidationAccuracy.toFixed(2)} test ${t.testAccuracy.toFixed(2)}/${t.fixedTestAccuracy.toFixed(2)}`).join(' | '));
