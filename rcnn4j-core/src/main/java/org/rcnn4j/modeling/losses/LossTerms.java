package org.rcnn4j.modeling.losses;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named terms of a detector's multi-task loss, in the order the stages added them: Faster
 * R-CNN's {@value #RPN_CLS} and {@value #RPN_BOX} (eq. 1 of the RPN), then Fast R-CNN's
 * {@value #ROI_CLS} and {@value #ROI_BOX} (its eq. 1). A stage a detector lacks adds no term (Fast
 * R-CNN has no RPN terms); a new stage adds terms of its own names. Immutable.
 */
public final class LossTerms {
    /** Objectness loss of the sampled anchors. */
    public static final String RPN_CLS = "rpn_cls";
    /** Anchor box regression loss (λ applied). */
    public static final String RPN_BOX = "rpn_box";
    /** The region stage's K+1-way classification loss. */
    public static final String ROI_CLS = "roi_cls";
    /** The region stage's class-specific box regression loss (λ applied). */
    public static final String ROI_BOX = "roi_box";

    private static final LossTerms NONE = new LossTerms(new LinkedHashMap<>());
    private final Map<String, NDArray> terms;

    private LossTerms(Map<String, NDArray> terms) {
        this.terms = terms;
    }

    /** No terms. */
    public static LossTerms none() {
        return NONE;
    }

    /** A classification term and a box term of one stage, in this order. */
    public static LossTerms of(String clsName, NDArray cls, String boxName, NDArray box) {
        return NONE.with(clsName, cls).with(boxName, box);
    }

    /**
     * These terms and {@code term} after them.
     *
     * @throws IllegalArgumentException when a term of that name is present
     */
    public LossTerms with(String name, NDArray term) {
        if (terms.containsKey(name)) throw new IllegalArgumentException("loss term " + name + " given twice");
        Map<String, NDArray> m = new LinkedHashMap<>(terms);
        m.put(name, term);
        return new LossTerms(m);
    }

    /** These terms, then {@code other}'s. */
    public LossTerms and(LossTerms other) {
        LossTerms t = this;
        for (Map.Entry<String, NDArray> e : other.terms.entrySet()) t = t.with(e.getKey(), e.getValue());
        return t;
    }

    /** The term called {@code name}, or null when absent. */
    public NDArray get(String name) {
        return terms.get(name);
    }

    /** The terms by name, in order. */
    public Map<String, NDArray> terms() {
        return Collections.unmodifiableMap(terms);
    }

    /** The sum of the terms, added in order: the scalar to back-propagate. */
    public NDArray total() {
        NDArray t = null;
        for (NDArray term : terms.values()) t = t == null ? term : t.add(term);
        if (t == null) throw new IllegalStateException("no loss terms");
        return t;
    }

    /** Each term's value, by name, for logs and the loss curve. */
    public Map<String, Float> values() {
        Map<String, Float> m = new LinkedHashMap<>();
        terms.forEach((k, v) -> m.put(k, v.getFloat()));
        return m;
    }
}
