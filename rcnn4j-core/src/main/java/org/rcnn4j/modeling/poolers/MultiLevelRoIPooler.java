package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * RoI pooling over a feature pyramid (FPN §4.2): each RoI is pooled from the level its size maps
 * to ({@link LevelMapper}, eq. 1), at that level's spatial scale, by one {@link RoIPooler} shared by
 * all levels (RoIAlign or RoI max pooling). One pooling call per level that holds RoIs; the pooled
 * RoIs come back in their input order.
 *
 * <p>Shapes: levels {@code minLevel..maxLevel} of one image, each {@code (C, H_k, W_k)} or
 * {@code (1, C, H_k, W_k)} with the same C and stride {@code 2^k}; R RoIs; output
 * {@code (R, C, outH, outW)}.
 */
public final class MultiLevelRoIPooler implements RegionPooler {
    private final RoIPooler pooler;
    private final LevelMapper mapper;

    /**
     * @param pooler the per-level pooler
     * @param mapper which level each RoI pools from; level k has stride 2^k
     */
    public MultiLevelRoIPooler(RoIPooler pooler, LevelMapper mapper) {
        this.pooler = pooler;
        this.mapper = mapper;
    }

    public RoIPooler pooler() {
        return pooler;
    }

    public LevelMapper mapper() {
        return mapper;
    }

    /**
     * Pools every RoI of one image from its level.
     *
     * @param manager holds the result and the arrays its backward pass reads (see {@link RoIPooler#pool})
     * @param levels  the image's maps of levels {@code minLevel..maxLevel}, finest first
     * @param rois    R RoIs, 4R floats, input-image pixels
     * @return {@code (R, C, outH, outW)}, row r pooled from RoI r's level
     */
    public NDArray pool(NDManager manager, List<NDArray> levels, float[] rois) {
        if (levels.size() != mapper.levels()) {
            throw new IllegalArgumentException(levels.size() + " maps for levels P" + mapper.minLevel() + "..P"
                    + mapper.maxLevel());
        }
        int[] level = mapper.levelIndices(rois);
        int[] count = new int[levels.size()];
        for (int l : level) count[l]++;
        NDList pieces = new NDList();
        long[] position = new long[level.length];
        int done = 0;
        for (int l = 0; l < levels.size(); l++) {
            if (count[l] == 0) continue;
            float[] mine = new float[4 * count[l]];
            int k = 0;
            for (int r = 0; r < level.length; r++) {
                if (level[r] != l) continue;
                System.arraycopy(rois, 4 * r, mine, 4 * k++, 4);
                position[r] = done++;
            }
            pieces.add(pooler.pool(manager, levels.get(l), mine, scale(l)));
        }
        if (pieces.isEmpty()) return pooler.pool(manager, levels.get(0), rois, scale(0));
        // NDArrays.concat of a single array returns a copy detached from autograd: skip it.
        if (pieces.size() == 1) return pieces.get(0);
        NDArray stacked = NDArrays.concat(pieces, 0);
        // The index stays in the caller's manager: the gather's backward reads it.
        return RowGather.rows(manager, stacked.reshape(stacked.getShape().get(0), -1), position).reshape(stacked.getShape());
    }

    /**
     * Pools image {@code image}'s RoIs from the first {@code mapper.levels()} of the batch's maps
     * (P2..P5 of FPN's P2..P6), in the maps' manager.
     */
    @Override
    public NDArray pool(List<NDArray> maps, int image, float[] rois) {
        List<NDArray> levels = new java.util.ArrayList<>(mapper.levels());
        for (NDArray level : maps.subList(0, mapper.levels())) levels.add(level.get(image));
        return pool(maps.get(0).getManager(), levels, rois);
    }

    @Override
    public int outputSize() {
        return pooler.outputSize();
    }

    /** Cells per input pixel of level index {@code l}: {@code 2^-(minLevel + l)}. */
    public float scale(int l) {
        return (float) Math.scalb(1.0, -(mapper.minLevel() + l));
    }
}
