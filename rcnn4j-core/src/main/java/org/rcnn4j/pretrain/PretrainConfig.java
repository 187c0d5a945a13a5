package org.rcnn4j.pretrain;

import java.util.List;
import org.rcnn4j.data.synth.FashionGenerator;
import org.rcnn4j.modeling.poolers.SpatialPyramidPooling;

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
 * @param classifier        what classifies the backbone's map: global pooling, the box head's layers,
 *                          or a spatial pyramid and fc layers (SPP-net)
 * @param secondSize        0 for single-size training; otherwise SPP-net's multi-size training (§2.3):
 *                          the epochs alternate between {@code imageSize} and this smaller size (the
 *                          same renderings resized), one full epoch each, the weights shared
 */
public record PretrainConfig(String backbone, int imageSize, int batchSize, int iterations, float learningRate,
        int warmupIterations, float momentum, float weightDecay, int trainItems, int validationItems, long seed,
        Classifier classifier, int secondSize) {
    /**
     * The classifier trained with the backbone (see {@link ClassificationHead}).
     *
     * @param poolSize  side of the RoIAlign grid over the item's box, 0 for global average pooling or
     *                  a spatial pyramid
     * @param fc6       units of fc6 (0 with global pooling)
     * @param fc7       units of fc7 (0 with global pooling)
     * @param sppLevels the spatial pyramid's levels over the whole map (SPP-net §2.3), empty for the
     *                  other kinds
     */
    public record Classifier(int poolSize, int fc6, int fc7, List<Integer> sppLevels) {
        /** Global average pooling and one linear layer; only the backbone is kept. */
        public static final Classifier GLOBAL = new Classifier(0, 0, 0);
        /**
         * The box head of the CPU-sized detector configs (7×7 RoIAlign, fc6 and fc7 of 512): its fc6
         * and fc7 start those detectors' heads.
         */
        public static final Classifier BOX_HEAD = new Classifier(7, 512, 512);
        /**
         * SPP-net's network (§2.3): the last pooling layer a spatial pyramid of 6×6, 3×3, 2×2 and 1×1
         * bins over the whole map, then fc6 and fc7 of 512 (the CPU-sized detector configs'): they
         * start SPP-net's head.
         */
        public static final Classifier SPP = new Classifier(0, 512, 512, SpatialPyramidPooling.DEFAULT_LEVELS);

        public Classifier {
            sppLevels = sppLevels == null ? List.of() : List.copyOf(sppLevels);
            boolean global = poolSize == 0 && fc6 == 0 && fc7 == 0 && sppLevels.isEmpty();
            boolean box = poolSize >= 1 && fc6 >= 1 && fc7 >= 1 && sppLevels.isEmpty();
            boolean spp = poolSize == 0 && fc6 >= 1 && fc7 >= 1 && !sppLevels.isEmpty() && sppLevels.stream().allMatch(n -> n >= 1);
            if (!(global || box || spp)) {
                throw new IllegalArgumentException("classifier: poolSize, fc6, fc7 all positive (box head), all 0 (global), "
                        + "or fc6, fc7 positive after pyramid levels (spp), got " + poolSize + ", " + fc6 + ", " + fc7 + ", "
                        + sppLevels);
            }
        }

        /** The global kind (all 0) or the box kind ({@code poolSize} ≥ 1). */
        public Classifier(int poolSize, int fc6, int fc7) {
            this(poolSize, fc6, fc7, List.of());
        }

        /** Whether fc6 and fc7 are trained on the item's box (and kept). */
        public boolean boxHead() {
            return poolSize > 0;
        }

        /** Whether fc6 and fc7 are trained after a spatial pyramid over the whole map (and kept). */
        public boolean pyramid() {
            return !sppLevels.isEmpty();
        }
    }

    /** Number of training-part items reserved for pre-training and detection training (see {@link FashionGenerator}). */
    public static final int TRAIN_ITEMS = FashionGenerator.TRAIN_ITEMS;
    /** Items in Fashion-MNIST's training part; those from {@link #TRAIN_ITEMS} on are validation items. */
    public static final int PART_ITEMS = 60_000;

    /**
     * The peak learning rate for the spp classifier: its max-pooled bins overlap (six levels' bins over
     * a few cells), and a cell that wins several bins gets the gradient of each, so the default 0.1
     * sent the network to a constant output.
     */
    public static final float SPP_LEARNING_RATE = 0.02f;

    /** SPP-net's second size relative to its first (§2.3): 180 against 224. */
    public static final double MULTI_SIZE_RATIO = 180.0 / 224.0;

    /** Single-size training. */
    public PretrainConfig(String backbone, int imageSize, int batchSize, int iterations, float learningRate,
            int warmupIterations, float momentum, float weightDecay, int trainItems, int validationItems, long seed,
            Classifier classifier) {
        this(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum, weightDecay, trainItems,
                validationItems, seed, classifier, 0);
    }

    public PretrainConfig {
        if (secondSize != 0 && (secondSize < 32 || secondSize >= imageSize)) {
            throw new IllegalArgumentException("secondSize must be 0 or in [32, imageSize), got " + secondSize);
        }
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
                weightDecay, trainItems, validationItems, seed, newClassifier, secondSize);
    }

    /** This config with another seed. */
    public PretrainConfig withSeed(long newSeed) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, trainItems, validationItems, newSeed, classifier, secondSize);
    }

    /** This config with other data sizes (for short runs). */
    public PretrainConfig withItems(int newTrainItems, int newValidationItems) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, newTrainItems, newValidationItems, seed, classifier, secondSize);
    }

    /** This config with another learning rate and warm-up. */
    public PretrainConfig withLearningRate(float newLearningRate, int newWarmupIterations) {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, newLearningRate, newWarmupIterations, momentum,
                weightDecay, trainItems, validationItems, seed, classifier, secondSize);
    }

    /**
     * This config trained multi-size (SPP-net §2.3): epochs alternate between {@code imageSize} and
     * {@code imageSize · 180/224}.
     */
    public PretrainConfig multiSize() {
        return new PretrainConfig(backbone, imageSize, batchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, trainItems, validationItems, seed, classifier, (int) Math.round(imageSize * MULTI_SIZE_RATIO));
    }

    /** The image side of iteration {@code it}'s batch: the second size in odd epochs of multi-size training. */
    public int sizeAt(long it) {
        long epoch = it * batchSize / trainItems;
        return secondSize > 0 && epoch % 2 == 1 ? secondSize : imageSize;
    }

    /** This config with another image size and batch size. */
    public PretrainConfig withImages(int newImageSize, int newBatchSize) {
        return new PretrainConfig(backbone, newImageSize, newBatchSize, iterations, learningRate, warmupIterations, momentum,
                weightDecay, trainItems, validationItems, seed, classifier, secondSize);
    }
}
