package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * R-CNN's scoring and box regression (Girshick et al. 2014, §2.2, §2.3, Appendix C): from a region's
 * {@code [fc7 (R, D7), pool5 (R, D5)]} ({@link WarpedRegionHead}), K+1 class scores and 4(K+1)
 * class-specific deltas, as every {@link BoxPredictor}.
 * <ul>
 *   <li>{@code cls_score}: the (K+1)-way softmax classifier that fine-tuning trains (§2.3); its
 *       scores are R-CNN Appendix B's "fc7 softmax" alternative to the SVMs;</li>
 *   <li>{@code svms} ({@link ClassSvms}): one linear SVM per class on fc7, the detector's scores
 *       once trained: margins, not probabilities;</li>
 *   <li>{@code bbox_reg} ({@link ClassBoxRegressors}): one ridge regressor per class on pool5,
 *       deltas of {@link org.rcnn4j.box.BoxCoder#rcnn()}.</li>
 * </ul>
 * In training (fine-tuning) the output is the softmax logits and zero deltas: R-CNN fine-tunes a
 * classifier only. At test {@link #use} chooses the scores and whether boxes are regressed; before
 * the SVMs or regressors are trained the softmax and the proposals' own boxes stand in.
 */
public final class RcnnPredictor extends AbstractBlock implements BoxPredictor {
    /** Which classifier scores regions at test. */
    public enum Classifier {
        /** The class-specific linear SVMs (R-CNN's detector): margins. */
        SVM,
        /** The fine-tuned network's softmax (Appendix B): probabilities. */
        SOFTMAX
    }

    private final int numClasses;
    private final Linear cls;
    private final ClassSvms svms;
    private final ClassBoxRegressors regressors;
    private volatile Classifier classifier = Classifier.SVM;
    private volatile boolean boxRegression = true;

    /** @param numClasses K, object classes without background */
    public RcnnPredictor(int numClasses) {
        super((byte) 1);
        this.numClasses = numClasses;
        cls = addChildBlock("cls_score", Linear.builder().setUnits(numClasses + 1L).build());
        cls.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        svms = addChildBlock("svms", new ClassSvms(numClasses));
        regressors = addChildBlock("bbox_reg", new ClassBoxRegressors(numClasses));
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** The fine-tuned softmax classifier. */
    public Linear clsScore() {
        return cls;
    }

    /** The class SVMs. */
    public ClassSvms svms() {
        return svms;
    }

    /** The box regressors. */
    public ClassBoxRegressors regressors() {
        return regressors;
    }

    /**
     * Chooses what scores regions at test and whether their boxes are regressed (R-CNN's Table 2 rows:
     * "fc7 + BB", "fc7", and Appendix B's softmax).
     */
    public void use(Classifier scores, boolean regressBoxes) {
        this.classifier = scores;
        this.boxRegression = regressBoxes;
    }

    /** The classifier that scores regions at test now: the SVMs when chosen and trained, else the softmax. */
    public Classifier scoring() {
        return classifier == Classifier.SVM && svms.trained() ? Classifier.SVM : Classifier.SOFTMAX;
    }

    /** Whether test boxes are regressed now: when chosen and the regressors are trained. */
    public boolean regressesBoxes() {
        return boxRegression && regressors.trained();
    }

    /** Softmax probabilities, or the SVMs' margins as they are. */
    @Override
    public float[] testScores(NDArray classOutput) {
        return scoring() == Classifier.SVM ? classOutput.toFloatArray() : classOutput.softmax(1).toFloatArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray fc7 = inputs.get(0);
        long r = fc7.getShape().get(0);
        NDArray scores = !training && scoring() == Classifier.SVM
                ? svms.forward(ps, new NDList(fc7), false).singletonOrThrow()
                : cls.forward(ps, new NDList(fc7), training).singletonOrThrow();
        NDArray deltas = !training && regressesBoxes()
                ? regressors.forward(ps, new NDList(inputs.get(1)), false).singletonOrThrow()
                : fc7.getManager().zeros(new Shape(r, 4L * (numClasses + 1)));
        return new NDList(scores, deltas);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long r = inputs[0].get(0);
        return new Shape[] {new Shape(r, numClasses + 1L), new Shape(r, 4L * (numClasses + 1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        cls.initialize(manager, dataType, inputShapes[0]);
    }
}
