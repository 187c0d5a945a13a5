package org.rcnn4j.modeling.roiheads;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

/**
 * A per-region detection head: RoI features pooled to {@code (R, C, h, w)} in, the two sibling
 * outputs of Fast R-CNN (§2) out, {@code [class logits (R, K+1), box deltas (R, 4(K+1))]}, class
 * u's deltas in columns 4u..4u+3 (background included).
 *
 * <p>Two kinds: {@link BoxHead} (fc6, fc7; Fast R-CNN's VGG16 head and FPN's 2-fc head) and
 * {@link C5BoxHead} (a ResNet's conv5_x stage on the pooled features, He et al. 2016, Appendix A).
 */
public interface RegionHead extends Block {
    /** K, object classes without background. */
    int numClasses();

    /** The sibling classifier, K+1 scores. */
    Linear clsScore();

    /** The sibling box regressor, 4(K+1) deltas. */
    Linear bboxPred();
}
