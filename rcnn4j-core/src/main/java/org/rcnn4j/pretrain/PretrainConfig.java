package org.rcnn4j.pretrain;

import org.rcnn4j.data.synth.FashionGenerator;

/**
 * Settings of a supervised pre-training run (R-CNN §2.3) of a backbone on Fashion-MNIST labels.
 *
 * @param backbone          backbone name ({@link org.rcnn4j.modeling.backbone.Backbones#NAMES})
 * @param imageSize         side of the square training images in pixels (items are upscaled into it)
 * @param batchSize         images per iteration
 * @param iterations        optimizer steps
 * @param learningRate      peak learning rate (after warm-up)
 * @param warmupIterations  iterations of linear warm-up from {@code learningRate / warmupIterations}
 * @param momentum          SGD momentum
 * @param weightDecay       L2 weight decay on convolution and linear weights (not on norms or biases)
 * @param trainItems        the first {@code trainItems} training items (of 0..49 999) are drawn from
 * @param validationItems   items 50 000 .. 50 000 + validationItems - 1 are the validation set
 * @param seed              seed for weights, item order and augmentation
 * @param classifier        what classifies the backbone's map: global pooling, or the box head's layers
 */
public record PretrainConfig(String backbone, int imageSize, int batchSize, int iterations, float learningRate,
        int warmupIterations, float momentum, float weightDecay, int trainItems, int validationItems, long seed,
        Classifier classifier) {
    /**
     * The classifier trained with the backbone (see {@link ClassificationHead}).
     *
     * @param poolSize side of the RoIAlign grid over the item's box, 0 for global average pooling
     * @param fc6      units of fc6 (0 with global pooling)
     * @param fc7      units of fc7 (0 with global pooling)
     */
    public record Classifier(int poolSize, int fc6, int fc7) {
        /** Global average pooling and one linear layer; only the backbone is kept. */
        public static final Classifier GLOBAL = new Classifier(0, 0, 0);
        /**
         * The box head of the CPU-sized detector configs (7×7 RoIAlign, fc6 and fc7 of 512): its fc6
         * and fc7 start those detectors' heads.
         */
        public static final Classifier BOX_HEAD = new Classifier(7, 512, 512);

        public Classifier {
            boolean global = poolSize == 0 && fc6 == 0 && fc7 == 0;
            if (!global && (poolSize < 1 || fc6 < 1 || fc7 < 1)) {
                throw new IllegalArgumentException("classifier: all of poolSize, fc6, fc7 positive (box head) or all 0 (global), got "
                        + poolSize + ", " + fc6 + ", " + fc7);
            }
        }

        /** Whether fc6 and fc7 are trained on the item's box (and kept). */
        public boolean boxHead() {
            return poolSize > 0;
        }
    }

    /** Number of training-part items reserved for pre-training and detection training (see {@link FashionGenerator}). */
    public static final int TRAIN_ITEMS = FashionGenerator.TRAIN_ITEMS;
    /** Items in Fashion-MNIST's training part; those from {@link #TRAIN_ITEMS} on are validation items. */
    public static final int PART_ITEMS = 60_000;

    public PretrainConfig {
        if (classifier == null) throw new IllegalArgumentException("classifier must be given (Classifier.GLOBAL for global pooling)");
        if (imageSize < 32) throw new IllegalArgumentException("imageSize must be at least 32, got " + imageSize);
        if (batchSize < 1 || iterations < 1) throw new IllegalArgumentException("batchSize and iterations must be positive");
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        if (warmupIterations < 0 || warmupIterations >= iterations) {
            throw new IllegalArgumentException("warmupIterations must be in [0, iterations), got " + warmupIterations);
        }
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) throw new IllegalArgumentException("momentum in [0, 1) and weightDecay >= 0");
        if (trainItems < 1 || trainItems > TRAIN_ITEMS) throw new IllegalArgumentException("trainItems must be in 1.." + TRAIN_ITEMS);
        if (validationItems < 1 || validationItems > PART_ITEMS - TRAIN_ITEMS) {
            throw new IllegalArgumentException("validationItems must be in 1.." + (PART_ITEMS - TRAIN_ITEMS));
        }
    }

    /**
     * Defaults for {@code backbone}: 64 px images for {@code tiny}, 96 px for the others; batch 32;
     * SGD with momentum 0.9, weight decay 5e-4 (the R-CNN/Fast R-CNN value), peak learning rate 0.1
     * after 100 warm-up iterations, then cosine decay; all 50 000 training items; 10 000 validation items;
     * the {@linkplain Classifier#GLOBAL global} classifier. (The box-head classifier, whose fc6 and fc7
     * start the detector's head, gave a worse detector on {@code fashion}: 0.718 voc07 mAP against
     * 0.769, {@code bench/results/fashion_c4_budget.md}; 2026-11-24, commit 8f25a64.)
     */
    public static PretrainConfig defaults(String backbone, int iterations) {
        int size = backbone.equals("tiny") ? 64 : 96;
        return new PretrainConfig(backbone, size, 32, iterations, 0.1f, Math.min(100, iterations / 10), 0.9f, 5e-4f,
                TRAIN_ITEMS, PART_ITEMS - TRAIN_ITEMS, 0, Classifier.GLOBAL);
    }

    /** This config with another classifier. */
    public PretrainConfig withClassifier(Classifier newClassifier) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, trainItems, validationItems, seed, newClassifier);
    }

    /** This config with another seed. */
    public PretrainConfig withSeed(long newSeed) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, trainItems, validationItems, newSeed, classifier);
    }

    /** This config with other data sizes (for short runs). */
    public PretrainConfig withItems(int newTrainItems, int newValidationItems) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, newTrainItems, newValidationItems, seed, classifier);
    }

    /** This config with another learning rate and warm-up. */
    public PretrainConfig withLearningRate(float newLearningRate, int newWarmupIterations) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, newLearningRate, newWarmupIterations, momentum,
                weightDecay, trainItems, validationItems, seed, classifier);
    }

    /** This config with another image size and batch size. */
    public PretrainConfig withImages(int newImageSize, int newBatchSize) {
        return new PretrainConfig(backbone, newImageSize, newBatchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, trainItems, validationItems, seed, classifier);
    }
}
