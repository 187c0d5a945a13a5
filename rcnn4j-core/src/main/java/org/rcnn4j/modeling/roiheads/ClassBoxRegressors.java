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
import org.rcnn4j.linalg.RidgeRegression;

/**
 * R-CNN's class-specific bounding-box regressors (Girshick et al. 2014, Appendix C): for each class
 * an affine map from the region's pool5 features, multiplied by their scale s (20 over the training
 * features' mean L2 norm), to the box targets {@code (tx, ty, tw, th)} of
 * {@link org.rcnn4j.box.BoxCoder#rcnn()}. Fitted outside the network ({@link RidgeRegression}, whose
 * un-whitening is folded into the map); this block holds and applies them, all classes in one matrix
 * product.
 *
 * <p>Input {@code (R, D)} pool5 features; output {@code (R, 4(K+1))} deltas, class u in columns
 * 4u..4u+3, the background's and those of a class without a regressor 0 (the proposal unchanged).
 * Saved with the model as this block's metadata (D, K, s, the (D+1)×4(K+1) map as float32); a block
 * without regressors saves D = 0.
 */
public final class ClassBoxRegressors extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int numClasses;
    private int dimension;
    private float scale = Float.NaN;
    /** (D+1)×4(K+1) row-major: x·s in the first D rows, the bias in the last. */
    private float[] map = new float[0];
    private float[][] scaled;

    /** @param numClasses K, object classes */
    public ClassBoxRegressors(int numClasses) {
        super(VERSION);
        this.numClasses = numClasses;
    }

    /** Whether the regressors are set. */
    public boolean trained() {
        return map.length > 0;
    }

    /** The feature scale s, or NaN before the regressors are set. */
    public float scale() {
        return scale;
    }

    /** D, the feature dimension (0 before the regressors are set). */
    public int dimension() {
        return dimension;
    }

    /**
     * Sets the regressors.
     *
     * @param scale      s, applied to every feature before regressing
     * @param dimension  D
     * @param regressors one per class in class order (index 0 is class 1), each of dimension D and 4
     *                   outputs; null for a class without training pairs (its proposals stay as they are)
     */
    public void set(float scale, int dimension, List<RidgeRegression> regressors) {
        if (regressors.size() != numClasses) {
            throw new IllegalArgumentException(numClasses + " regressors expected, got " + regressors.size());
        }
        if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("feature scale must be positive: " + scale);
        int cols = 4 * (numClasses + 1);
        float[] m = new float[(dimension + 1) * cols];
        for (int k = 1; k <= numClasses; k++) {
            RidgeRegression reg = regressors.get(k - 1);
            if (reg == null) continue;
            if (reg.dimension() != dimension || reg.outputs() != 4) {
                throw new IllegalArgumentException("regressor " + k + " maps " + reg.dimension() + " features to "
                        + reg.outputs() + " values, expected " + dimension + " to 4");
            }
            double[] w = reg.weights();
            for (int j = 0; j <= dimension; j++) {
                for (int c = 0; c < 4; c++) m[j * cols + 4 * k + c] = (float) w[j * 4 + c];
            }
        }
        this.dimension = dimension;
        this.scale = scale;
        this.map = m;
        this.scaled = null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (!trained()) throw new IllegalStateException("the box regressors are not trained yet");
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().get(1) != dimension) {
            throw new IllegalArgumentException("features of " + x.getShape().get(1) + " values, the regressors take " + dimension);
        }
        int cols = 4 * (numClasses + 1);
        NDManager m = x.getManager();
        float[][] folded = scaledMap();
        return new NDList(x.matMul(m.create(folded[0], new Shape(dimension, cols))).add(m.create(folded[1], new Shape(1, cols))));
    }

    /** The map with the scale folded into its weight rows, and its bias row: computed once, not per pass. */
    private synchronized float[][] scaledMap() {
        if (scaled == null) {
            int cols = 4 * (numClasses + 1);
            float[] weights = new float[dimension * cols];
            for (int i = 0; i < weights.length; i++) weights[i] = scale * map[i];
            scaled = new float[][] {weights, java.util.Arrays.copyOfRange(map, dimension * cols, map.length)};
        }
        return scaled;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), 4L * (numClasses + 1))};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(numClasses);
        os.writeInt(trained() ? dimension : 0);
        os.writeFloat(scale);
        for (float v : map) os.writeFloat(v);
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("box regressors of format " + loadVersion + ", expected " + VERSION);
        }
        int k = is.readInt();
        if (k != numClasses) throw new MalformedModelException("box regressors for " + k + " classes, the model has " + numClasses);
        int d = is.readInt();
        if (d < 0) throw new MalformedModelException("box regressor dimension " + d);
        float s = is.readFloat();
        float[] m = new float[d == 0 ? 0 : (d + 1) * 4 * (k + 1)];
        for (int i = 0; i < m.length; i++) m[i] = is.readFloat();
        dimension = d;
        scale = s;
        map = m;
        scaled = null;
    }
}
