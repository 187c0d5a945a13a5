package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rows of a 2-D array picked by an index, differentiable: {@code out[i] = rows[index[i]]}, shape
 * {@code (index.length, columns)}; the backward adds each output row's gradient into its source row.
 *
 * <p>Done with libtorch's {@code embedding}, whose backward is an index-add, rather than with
 * advanced indexing ({@code rows[index]}), whose backward is an accumulating index-put. The rows
 * and gradients are the same; the time is not. Gathering 25,088 rows, with repeats, of a
 * 1600 × 128 array (RoIAlign's gather for 128 RoIs of a C4 map at s = 640), forward and backward
 * took 8.9 ms with advanced indexing and 6.4 ms with embedding on one libtorch thread, and 12.6 ms
 * against 4.4 ms on two: the index-put's accumulation gets 4.5× slower with a second thread
 * ({@code bench/RowGatherBench.java}, {@code bench/results/fashion_c4_budget.md}, 2026-11-24,
 * recorded in 21ad26a).
 */
final class RowGather {
    private RowGather() {}

    /**
     * @param manager holds the index array, which autograd needs until the backward has run
     * @param rows    {@code (R, C)}
     * @param index   row numbers in {@code [0, R)}
     * @return {@code (index.length, C)}
     */
    static NDArray rows(NDManager manager, NDArray rows, long[] index) {
        NDArray idx = manager.create(index);
        return rows.getNDArrayInternal().embedding(idx, rows, SparseFormat.DENSE).singletonOrThrow();
    }
}
