package org.rcnn4j.detector.torchvision;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.StateDict;
import org.rcnn4j.io.torch.TorchTensor;
import org.rcnn4j.modeling.NativeFloats;

/**
 * Copies the tensors of a torchvision state dict into rcnn4j's blocks, parameter by parameter, by a
 * table from rcnn4j's parameter names to torchvision's keys. A convolution followed by a frozen
 * BatchNorm in torchvision becomes one convolution with bias here: {@code scale = γ / √(var + eps)},
 * weights {@code W · scale} per output channel, bias {@code β − mean · scale} (torchvision's
 * {@code FrozenBatchNorm2d} computes {@code x · scale + (β − mean · scale)} after the convolution;
 * folding it saves a pass over every map).
 *
 * <p>Every parameter of a block must be given a tensor of its exact shape, and {@link #unused} lists
 * what the file held that nothing took, so a file of another architecture fails with the key that
 * does not fit rather than loading into a half-initialised model.
 */
final class TorchvisionWeights {
    /** The tensors a torchvision state dict carries that inference does not read (BatchNorm's step counter). */
    private static final String IGNORED_SUFFIX = ".num_batches_tracked";

    private final StateDict dict;
    private final float bnEps;
    private final Set<String> used = new LinkedHashSet<>();

    /** @param bnEps the frozen BatchNorm's ε (0 for torchvision's COCO v1 detection weights, 1e-5 otherwise) */
    TorchvisionWeights(StateDict dict, float bnEps) {
        this.dict = dict;
        this.bnEps = bnEps;
    }

    /**
     * Where each parameter of a block comes from: the rcnn4j parameter name (as
     * {@code block.getParameters()} names it) mapped to a {@link Source}.
     */
    static final class Table {
        private final Map<String, Source> sources = new LinkedHashMap<>();

        /** A parameter copied from one tensor. */
        Table copy(String param, String key) {
            sources.put(param, new Source(key, null));
            return this;
        }

        /**
         * A convolution {@code conv} (rcnn4j prefix, its {@code _weight} and {@code _bias}) from
         * torchvision's bias-free {@code convKey} followed by the frozen BatchNorm {@code bnKey}.
         */
        Table convBn(String conv, String convKey, String bnKey) {
            sources.put(conv + "_weight", new Source(convKey + ".weight", bnKey));
            sources.put(conv + "_bias", new Source(null, bnKey));
            return this;
        }

        /** A convolution or linear layer {@code layer} with weight and bias from {@code key}. */
        Table layer(String layer, String key) {
            return copy(layer + "_weight", key + ".weight").copy(layer + "_bias", key + ".bias");
        }
    }

    /** A tensor key, or a BatchNorm to fold (a weight when {@code key} is set, a bias when it is null). */
    private record Source(String key, String bn) {}

    /**
     * Sets every parameter of {@code block} from the file.
     *
     * @throws BadInputException naming the key when a tensor is missing or has another shape
     * @throws IllegalStateException when the table does not cover a parameter (a programming error)
     */
    void load(Block block, Table table) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Source s = table.sources.get(p.getKey());
            if (s == null) throw new IllegalStateException("no torchvision source for parameter " + p.getKey());
            NDArray array = p.getValue().getArray();
            long[] shape = array.getShape().getShape();
            float[] values = s.bn() == null ? tensor(s.key(), shape) : folded(s, shape);
            NativeFloats.overwrite(array, values);
        }
    }

    /** Keys of the file that no {@link #load} read (BatchNorm step counters aside), in the file's order. */
    Set<String> unused() {
        Set<String> out = new LinkedHashSet<>();
        for (String k : dict.keys()) if (!used.contains(k) && !k.endsWith(IGNORED_SUFFIX)) out.add(k);
        return out;
    }

    private float[] tensor(String key, long[] shape) {
        TorchTensor t = dict.get(key);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new BadInputException(dict.file(), key, "shape " + Arrays.toString(t.shape()) + " where the architecture has "
                    + Arrays.toString(shape));
        }
        used.add(key);
        return t.toFloats();
    }

    private float[] folded(Source s, long[] shape) {
        int channels = (int) shape[0];
        long[] vector = {channels};
        float[] gamma = tensor(s.bn() + ".weight", vector);
        float[] beta = tensor(s.bn() + ".bias", vector);
        float[] mean = tensor(s.bn() + ".running_mean", vector);
        float[] var = tensor(s.bn() + ".running_var", vector);
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            // float32, as FrozenBatchNorm2d: w * (rv + eps).rsqrt()
            scale[c] = (float) (gamma[c] * (1.0 / Math.sqrt(var[c] + bnEps)));
            if (!Float.isFinite(scale[c])) {
                throw new BadInputException(dict.file(), s.bn() + ".running_var", "gives a non-finite BatchNorm scale at channel "
                        + c + " (running_var " + var[c] + ", eps " + bnEps + ")");
            }
        }
        if (s.key() == null) {
            float[] bias = new float[channels];
            for (int c = 0; c < channels; c++) bias[c] = beta[c] - mean[c] * scale[c];
            return bias;
        }
        float[] w = tensor(s.key(), shape);
        int per = w.length / channels;
        for (int c = 0; c < channels; c++) for (int i = c * per; i < (c + 1) * per; i++) w[i] *= scale[c];
        return w;
    }
}
