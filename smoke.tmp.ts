import { syntheticCatalog } from './test/fuse/synthetic.js';
import { trainFusion, FUSION_DEFAULTS } from './src/fuse/train.js';
import { interactionsFingerprint } from './src/interactions.js';
const c = syntheticCatalog();
for (const [epochs, lr] of [[15, 1e-3], [40, 1e-3], [40, 3e-3]] as const) {
const r = await trainFusion({ inputs: c.inputs, movies: c.movies, interactions: c.interactions, trainedOn: interactionsFingerprint(c.interactions) },
  { ...FUSION_DEFAULTS, dim: 16, hidden: 32, textComponents: 16, imageComponents: 8, epochs, patience: epochs, anchorsPerTask: 8, learningRate: lr }, 2);
console.log(epochs, lr, r.tasks.map(t => `${t.name} ${t.validationAccuracy.toFixed(2)}/${t.fixedValidationAccuracy.toFixed(2)}`).join(' | '), r.bestEpoch);
}
