package org.rcnn4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rcnn4j.data.synth.FashionMnist;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.backbone.PretrainedFc;
import org.rcnn4j.modeling.backbone.SeededNormalInitializer;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.losses.Losses;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.Resize;
import org.rcnn4j.training.DetectorTrainer;
import org.rcnn4j.training.Sgd;
import org.rcnn4j.training.SgdLoop;
import org.rcnn4j.training.TrainingDivergedException;

/**
 * Supervised pre-training (R-CNN §2.3): a backbone plus a {@link ClassificationHead} learn the ten
 * Fashion-MNIST labels from training items 0..{@code trainItems - 1} (rendered by
 * {@link ItemRenderer}), then classify validation items 50 000.. for an accuracy. The backbone is
 * returned, with the head's fc6 and fc7 when the head is the box kind; the classifier layer is
 * dropped. Stands in for ImageNet pre-training, which rcnn4j cannot ship.
 *
 * <p>The box kind pools each item's box, moved in training by up to {@value #BOX_JITTER} of its
 * width and height at each side: the detector's head later classifies proposals that overlap an
 * object with IoU 0.5 and more, not its exact box.
 *
 * <p>Trained by the detectors' own SGD loop ({@link SgdLoop}, rather than DJL's {@code Trainer}):
 * each iteration gets its own NDManager, closed at its end; the loss is checked for NaN/Inf before
 * any weight changes; {@link Sgd} decays convolution and linear weights only, not GroupNorm or bias
 * parameters, and skips frozen ones. Learning rate by {@link WarmupCosineSchedule}.
 *
 * <p>Deterministic for a seed: weights, item order (a seeded shuffle per epoch) and each image's
 * augmentation (seeded by the sample's position in the run) come from the seed alone.
 */
public final class BackbonePretrainer {
    /** Fashion-MNIST has ten classes. */
    public static final int CLASSES = FashionMnist.CLASS_NAMES.size();
    /** Input normalisation: ImageNet statistics on [0, 1], as the detectors' default preprocessing. */
    public static final Normalize NORMALIZE = Normalize.imagenet();
    /** The name of the classification loss term. */
    static final String LOSS = "cls";
    /** Seed of the validation renderings: the same validation images for every run. */
    static final long VALIDATION_SEED = 0x5EED_0F_F00DL;
    private static final long ORDER_SALT = 0x0DE5L, AUGMENT_SALT = 0xA06L;
    /** Largest shift of each side of the pooled box in training, as a fraction of the box's width or height. */
    static final float BOX_JITTER = 0.1f;

    private final PretrainConfig config;
    /** The item order of epoch {@link #orderEpoch}. */
    private int[] order;
    private long orderEpoch = -1;

    public BackbonePretrainer(PretrainConfig config) {
        this.config = config;
    }

    /**
     * Runs pre-training.
     *
     * @param trainPart Fashion-MNIST's training part (60 000 items)
     * @param manager   where the backbone's parameters live; per-iteration arrays live in sub-managers
     * @param progress  receives each iteration's loss, accuracy and throughput
     * @throws TrainingDivergedException when the loss becomes NaN or infinite
     */
    public PretrainResult train(FashionMnist trainPart, NDManager manager, PretrainProgress progress) {
        if (trainPart.size() < PretrainConfig.TRAIN_ITEMS + config.validationItems()) {
            throw new IllegalArgumentException("the Fashion-MNIST training part has " + trainPart.size() + " items, need "
                    + (PretrainConfig.TRAIN_ITEMS + config.validationItems()));
        }
        long start = System.nanoTime();
        Backbone backbone = Backbones.create(config.backbone());
        backbone.initialize(manager, config.seed());
        PretrainConfig.Classifier spec = config.classifier();
        int channels = backbone.output().channels();
        ClassificationHead head = ClassificationHead.of(spec, CLASSES, backbone.output().stride());
        head.initializeWeights(config.seed());
        head.initialize(manager, DataType.FLOAT32, new Shape(config.batchSize(), channels, 1, 1), new Shape(config.batchSize(), 4));
        ParameterStore store = new ParameterStore(manager, false);
        ItemRenderer renderer = new ItemRenderer(trainPart, config.imageSize());
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(config.learningRate(), config.warmupIterations(), config.iterations());
        // Stages after C4 get no gradient here; updating them would only apply weight decay.
        List<Parameter> params = new ArrayList<>(backbone.getParameters().values());
        params.removeAll(backbone.parametersAfterOutput());
        params.addAll(head.getParameters().values());
        Sgd sgd = new Sgd(params, manager, config.momentum(), config.weightDecay());
        float[] accuracy = new float[1];
        SgdLoop.Objective objective = (ps, step, it) -> {
            int[] items = items((int) it);
            NDList batch = render(renderer, items, (int) it, config.sizeAt(it), step);
            NDArray logits = head.forward(ps, new NDList(backbone.features(ps, batch.get(0), true), batch.get(1)), true)
                    .singletonOrThrow();
            int[] labels = labels(trainPart, items);
            accuracy[0] = accuracy(logits.toFloatArray(), labels);
            return new SgdLoop.Loss(LossTerms.none().with(LOSS, crossEntropy(logits, labels, step)), items.length);
        };
        DetectorTrainer.Listener listener = s -> progress.iteration(new PretrainProgress.Step((int) s.iteration() + 1,
                config.iterations(), s.loss(), accuracy[0], s.learningRate(), s.imagesPerSecond()));
        try {
            new SgdLoop(sgd, manager, schedule::at).run(0, config.iterations(), objective, 0, null, null, listener);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double validationAccuracy = validate(trainPart, backbone, head, store, manager, config.imageSize());
        progress.validated(validationAccuracy, config.validationItems());
        double secondAccuracy = Double.NaN;
        if (config.secondSize() > 0) {
            secondAccuracy = validate(trainPart, backbone, head, store, manager, config.secondSize());
            progress.validated(secondAccuracy, config.validationItems());
        }
        PretrainedFc fc = head.pretrainedFc(channels);
        head.getParameters().values().forEach(Parameter::close);
        PretrainedInfo info = new PretrainedInfo(config.backbone(), config.imageSize(), NORMALIZE, validationAccuracy,
                config.validationItems(), config.iterations(), config.trainItems(), config.seed(), spec, config.secondSize(),
                secondAccuracy);
        return new PretrainResult(backbone, fc, info, (System.nanoTime() - start) / 1e9);
    }

    /** The training items of iteration {@code it}: the run's samples in a seeded order, reshuffled each epoch. */
    private int[] items(int it) {
        int[] items = new int[config.batchSize()];
        for (int b = 0; b < items.length; b++) {
            long sample = (long) it * config.batchSize() + b;
            int pos = (int) (sample % config.trainItems());
            long epoch = sample / config.trainItems();
            if (order == null || epoch != orderEpoch) {
                order = shuffled(config.trainItems(), SeededNormalInitializer.mix(config.seed() ^ ORDER_SALT, epoch));
                orderEpoch = epoch;
            }
            items[b] = order[pos];
        }
        return items;
    }

    /**
     * Accuracy on validation items 50 000 .. 50 000 + n - 1, each rendered with its own fixed seed
     * (at {@code imageSize}, then resized to {@code size}).
     */
    private double validate(FashionMnist data, Backbone backbone, ClassificationHead head, ParameterStore store, NDManager manager,
            int size) {
        ItemRenderer renderer = new ItemRenderer(data, config.imageSize());
        int correct = 0, n = config.validationItems();
        for (int from = 0; from < n; from += config.batchSize()) {
            int[] items = new int[Math.min(config.batchSize(), n - from)];
            for (int b = 0; b < items.length; b++) items[b] = PretrainConfig.TRAIN_ITEMS + from + b;
            try (NDManager step = manager.newSubManager()) {
                long[] seeds = new long[items.length];
                for (int b = 0; b < items.length; b++) seeds[b] = SeededNormalInitializer.mix(VALIDATION_SEED, items[b]);
                NDList batch = batch(renderer, items, seeds, false, size, step);
                NDArray logits = head.forward(store, new NDList(backbone.features(store, batch.get(0), false), batch.get(1)), false)
                        .singletonOrThrow();
                correct += Math.round(accuracy(logits.toFloatArray(), labels(data, items)) * items.length);
            }
        }
        return (double) correct / n;
    }

    /** A training batch at side {@code size}; sample k of the run is augmented with seed (seed, k). */
    private NDList render(ItemRenderer renderer, int[] items, int iteration, int size, NDManager step) {
        long[] seeds = new long[items.length];
        for (int b = 0; b < items.length; b++) {
            seeds[b] = SeededNormalInitializer.mix(config.seed() ^ AUGMENT_SALT, (long) iteration * items.length + b);
        }
        return batch(renderer, items, seeds, true, size, step);
    }

    /**
     * The items rendered with one seed each: {@code [images (B, 3, S, S) normalised, boxes (B, 4)]};
     * boxes are jittered when {@code jitter} (training). Rendered at {@code imageSize} and, for a
     * smaller {@code s}, resized to it with their boxes: SPP-net's second size is the 224 crop
     * resized to 180 (§2.3).
     */
    private NDList batch(ItemRenderer renderer, int[] items, long[] seeds, boolean jitter, int s, NDManager step) {
        int plane = 3 * s * s;
        float[] chw = new float[items.length * plane];
        float[] boxes = new float[items.length * 4];
        for (int b = 0; b < items.length; b++) {
            SplittableRandom rng = new SplittableRandom(seeds[b]);
            ItemRenderer.Rendered r = resized(renderer.render(items[b], rng), s);
            NORMALIZE.toChw(r.image(), chw, b * plane, s, s);
            float[] box = jitter ? jittered(r.box(), rng, s) : r.box();
            System.arraycopy(box, 0, boxes, 4 * b, 4);
        }
        return new NDList(step.create(chw, new Shape(items.length, 3, s, s)), step.create(boxes, new Shape(items.length, 4)));
    }

    /** {@code r} as it is at its own size, else resized to {@code s × s} with its box. */
    private static ItemRenderer.Rendered resized(ItemRenderer.Rendered r, int s) {
        if (r.image().width() == s) return r;
        Resize.Resized small = Resize.toShortSide(r.image(), s, s);
        float[] box = r.box().clone();
        for (int i = 0; i < 4; i++) box[i] *= (float) small.scale();
        return new ItemRenderer.Rendered(small.image(), box);
    }

    /** {@code box} with each side moved by up to {@link #BOX_JITTER} of the box's size, kept inside the image and non-empty. */
    static float[] jittered(float[] box, SplittableRandom rng, int size) {
        float w = box[2] - box[0], h = box[3] - box[1];
        float x1 = box[0] + w * BOX_JITTER * (float) (2 * rng.nextDouble() - 1);
        float y1 = box[1] + h * BOX_JITTER * (float) (2 * rng.nextDouble() - 1);
        float x2 = box[2] + w * BOX_JITTER * (float) (2 * rng.nextDouble() - 1);
        float y2 = box[3] + h * BOX_JITTER * (float) (2 * rng.nextDouble() - 1);
        x1 = Math.max(0, x1);
        y1 = Math.max(0, y1);
        x2 = Math.min(size, Math.max(x2, x1 + 1));
        y2 = Math.min(size, Math.max(y2, y1 + 1));
        return new float[] {x1, y1, x2, y2};
    }

    /** Mean softmax cross-entropy of {@code N x K} scores against labels 0..K-1. */
    static NDArray crossEntropy(NDArray logits, int[] labels, NDManager manager) {
        float[] oneHot = new float[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) oneHot[i * CLASSES + labels[i]] = 1;
        NDArray target = manager.create(oneHot, new Shape(labels.length, CLASSES));
        // Not div(Number): DJL frees that scalar while autograd still needs it (see Losses).
        return Losses.scale(logits.logSoftmax(1).mul(target).sum().neg(), 1f / labels.length);
    }

    /** Fraction of rows of the {@code N x K} scores whose arg-max is the label. */
    static float accuracy(float[] scores, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < CLASSES; k++) if (scores[i * CLASSES + k] > scores[i * CLASSES + best]) best = k;
            if (best == labels[i]) correct++;
        }
        return (float) correct / labels.length;
    }

    private static int[] labels(FashionMnist data, int[] items) {
        int[] out = new int[items.length];
        for (int i = 0; i < items.length; i++) out[i] = data.label(items[i]);
        return out;
    }

    /** 0..n-1 in a seeded random order (Fisher-Yates). */
    static int[] shuffled(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
