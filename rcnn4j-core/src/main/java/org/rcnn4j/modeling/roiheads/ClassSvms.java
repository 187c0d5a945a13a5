package org.rcnn4j.modeling.roiheads;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.rcnn4j.linalg.LinearSvm;

/**
 * R-CNN's class-specific linear SVMs (Girshick et al. 2014, §2.2 and §2.3): for each class k a
 * weight vector w_k and bias b_k over the region's feature x (fc7) multiplied by the feature scale
 * s (20 over the training features' mean L2 norm), scoring {@code m_k = w_k·(s·x) + b_k}. Trained
 * outside the network ({@link LinearSvm} with hard negative mining); this block only holds and
 * applies them, for all regions in one matrix product.
 *
 * <p>Input {@code (R, D)} features; output {@code (R, K+1)} margins, column 0 (background) 0. The
 * SVMs are saved with the model as this block's metadata (D, K, s, then w and b as float32); a
 * block without SVMs saves K = 0.
 */
public final class ClassSvms extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int numClasses;
    private int dimension;
    private float scale = Float.NaN;
    private float[] weights = new float[0];
    private float[] biases = new float[0];

    /** @param numClasses K, object classes */
    public ClassSvms(int numClasses) {
        super(VERSION);
        this.numClasses = numClasses;
    }

    /** Whether the SVMs are set. */
    public boolean trained() {
        return weights.length > 0;
    }

    /** The feature scale s, or NaN before the SVMs are set. */
    public float scale() {
        return scale;
    }

    /** D, the feature dimension (0 before the SVMs are set). */
    public int dimension() {
        return dimension;
    }

    /**
     * Sets the K SVMs.
     *
     * @param scale s, applied to every feature before scoring
     * @param svms  one per class, in class order (index 0 is class 1), all of one dimension
     */
    public void set(float scale, List<LinearSvm> svms) {
        if (svms.size() != numClasses) throw new IllegalArgumentException(numClasses + " SVMs expected, got " + svms.size());
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("feature scale must be positive: " + scale);
        int d = svms.get(0).dimension();
        float[] w = new float[numClasses * d];
        float[] b = new float[numClasses];
        for (int k = 0; k < numClasses; k++) {
            LinearSvm svm = svms.get(k);
            if (svm.dimension() != d) throw new IllegalArgumentException("SVM " + (k + 1) + " has dimension " + svm.dimension() + ", not " + d);
            System.arraycopy(svm.weights(), 0, w, k * d, d);
            b[k] = svm.bias();
        }
        this.dimension = d;
        this.scale = scale;
        this.weights = w;
        this.biases = b;
    }

    /** Class k's (1-based) SVM as set. */
    public LinearSvm svm(int k) {
        double[] augmented = new double[dimension + 1];
        for (int j = 0; j < dimension; j++) augmented[j] = weights[(k - 1) * dimension + j];
        augmented[dimension] = biases[k - 1];
        return LinearSvm.fromAugmentedWeights(augmented, 1.0);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (!trained()) throw new IllegalStateException("the SVMs are not trained yet");
        NDArray x = inputs.singletonOrThrow();
        long r = x.getShape().get(0);
        if (x.getShape().get(1) != dimension) {
            throw new IllegalArgumentException("features of " + x.getShape().get(1) + " values, the SVMs take " + dimension);
        }
        NDManager m = x.getManager();
        // (s·x)·w = x·(s·w): the scale folds into the (D, K) weight matrix.
        float[] scaled = new float[weights.length];
        for (int k = 0; k < numClasses; k++) {
            for (int j = 0; j < dimension; j++) scaled[j * numClasses + k] = scale * weights[k * dimension + j];
        }
        NDArray w = m.create(scaled, new Shape(dimension, numClasses));
        NDArray margins = x.matMul(w).add(m.create(biases, new Shape(1, numClasses)));
        return new NDList(m.zeros(new Shape(r, 1)).concat(margins, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), numClasses + 1L)};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(numClasses);
        os.writeInt(trained() ? dimension : 0);
        os.writeFloat(scale);
        for (float v : weights) os.writeFloat(v);
        for (float v : biases) os.writeFloat(v);
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) throw new MalformedModelException("SVMs of format " + loadVersion + ", expected " + VERSION);
        int k = is.readInt();
        if (k != numClasses) throw new MalformedModelException("SVMs for " + k + " classes, the model has " + numClasses);
        int d = is.readInt();
        if (d < 0) throw new MalformedModelException("SVM dimension " + d);
        float s = is.readFloat();
        float[] w = new float[d * k];
        for (int i = 0; i < w.length; i++) w[i] = is.readFloat();
        float[] b = new float[d == 0 ? 0 : k];
        for (int i = 0; i < b.length; i++) b[i] = is.readFloat();
        dimension = d;
        scale = s;
        weights = w;
        biases = b;
    }
}
