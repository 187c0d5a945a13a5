package org.rcnn4j.modeling.losses;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named terms of a two-stage detector's multi-task loss (Faster R-CNN eq. 1 for the RPN,
 * Fast R-CNN eq. 1 for the head). A term a stage does not have (the RPN of Fast R-CNN) is null.
 *
 * @param rpnCls objectness loss of the sampled anchors
 * @param rpnBox anchor box regression loss (λ already applied)
 * @param roiCls the head's K+1-way classification loss
 * @param roiBox the head's class-specific box regression loss (λ already applied)
 */
public record LossTerms(NDArray rpnCls, NDArray rpnBox, NDArray roiCls, NDArray roiBox) {
    /** The sum of the present terms, the scalar to back-propagate. */
    public NDArray total() {
        NDArray t = null;
        for (NDArray term : new NDArray[] {rpnCls, rpnBox, roiCls, roiBox}) {
            if (term != null) t = t == null ? term : t.add(term);
        }
        if (t == null) throw new IllegalStateException("no loss terms");
        return t;
    }

    /** Each present term's value, by name, for logs and the loss curve. */
    public Map<String, Float> values() {
        Map<String, Float> m = new LinkedHashMap<>();
        if (rpnCls != null) m.put("rpn_cls", rpnCls.getFloat());
        if (rpnBox != null) m.put("rpn_box", rpnBox.getFloat());
        if (roiCls != null) m.put("roi_cls", roiCls.getFloat());
        if (roiBox != null) m.put("roi_box", roiBox.getFloat());
        return m;
    }
}
