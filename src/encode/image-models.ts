/** The pretrained poster models the image encoder can run, shared by the pool (src/encode/image.ts) and its workers. */
import { z } from 'zod';
import type { PretrainedModel } from './models.js';

export const IMAGE_ENCODER_IDS = ['mobilenet', 'clip'] as const;
export const imageEncoderIdSchema = z.enum(IMAGE_ENCODER_IDS);
export type ImageEncoderId = z.infer<typeof imageEncoderIdSchema>;

export interface ImageModel {
  model: PretrainedModel;
  dim: number;
  /** The model output that is the image's feature vector, [batch, dim]. */
  output: string;
  /** The transformers.js class that loads it (its file name follows from the class). */
  loader: 'AutoModel' | 'CLIPVisionModelWithProjection';
}

export const IMAGE_MODELS: Record<ImageEncoderId, ImageModel> = {
  // ImageNet MobileNetV2 int8; pooler_output is the global average of the last 1280×7×7 feature map.
  mobilenet: {
    model: {
      name: 'MobileNetV2 (int8)',
      repo: 'onnx-model-zoo/mobilenetv2-12-int8-features',
      files: ['onnx/model_quantized.onnx', 'config.json', 'preprocessor_config.json'],
    },
    dim: 1280,
    output: 'pooler_output',
    loader: 'AutoModel',
  },
  // CLIP ViT-B/32 vision tower with its projection: only when a user supplies its weights.
  clip: {
    model: {
      name: 'CLIP ViT-B/32 vision',
      repo: 'Xenova/clip-vit-base-patch32',
      files: ['onnx/vision_model_quantized.onnx', 'config.json', 'preprocessor_config.json'],
    },
    dim: 512,
    output: 'image_embeds',
    loader: 'CLIPVisionModelWithProjection',
  },
};
