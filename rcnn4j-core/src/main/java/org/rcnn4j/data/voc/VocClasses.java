package org.rcnn4j.data.voc;

import java.util.List;

/** The 20 Pascal VOC object classes, in the devkit's order (class index 1 is aeroplane). */
public final class VocClasses {
    /** VOC2007-2012's classes in the devkit's order; category ids 1..20 follow it. */
    public static final List<String> STANDARD = List.of(
            "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
            "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
            "tvmonitor");

    private VocClasses() {}
}
