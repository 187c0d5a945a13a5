package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * Fast R-CNN's two sibling output layers (§2, Fig. 1), shared by the {@link RegionHead}s: from
 * per-RoI features {@code (R, D)}, K+1 class logits and 4(K+1) class-specific box deltas. The heads
 * add {@link #cls} and {@link #bbox} as their own children ({@code cls_score}, {@code bbox_pred}), so
 * saved weights keep one layout.
 */
final class SiblingOutputs {
    final Linear cls;
    final Linear bbox;
    private final int numClasses;

    /** Both layers, initialised as py-faster-rcnn's new layers: N(0, 0.01) for scores, N(0, 0.001) for boxes. */
    SiblingOutputs(int numClasses) {
        this.numClasses = numClasses;
        cls = Linear.builder().setUnits(numClasses + 1L).build();
        bbox = Linear.builder().setUnits(4L * (numClasses + 1)).build();
        cls.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        bbox.setInitializer(new NormalInitializer(0.001f), Parameter.Type.WEIGHT);
    }

    /** {@code [logits (R, K+1), deltas (R, 4(K+1))]} of features {@code (R, D)}. */
    NDList forward(ParameterStore ps, NDArray features, boolean training) {
        NDList in = new NDList(features);
        return new NDList(cls.forward(ps, in, training).singletonOrThrow(), bbox.forward(ps, in, training).singletonOrThrow());
    }

    /** The output shapes for {@code r} RoIs. */
    Shape[] outputShapes(long r) {
        return new Shape[] {new Shape(r, numClasses + 1L), new Shape(r, 4L * (numClasses + 1))};
    }

    /** Initialises both layers for features of shape {@code (R, D)}. */
    void initialize(NDManager manager, DataType dataType, Shape features) {
        cls.initialize(manager, dataType, features);
        bbox.initialize(manager, dataType, features);
    }
}
