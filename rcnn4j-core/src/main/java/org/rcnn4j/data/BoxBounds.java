package org.rcnn4j.data;

import java.nio.file.Path;
import org.rcnn4j.io.BadInputException;

/**
 * The checks every ground-truth box passes when a dataset is read: finite coordinates, positive
 * width and height, and inside the image up to {@link #TOLERANCE} pixels.
 *
 * <p>Boxes are absolute continuous {@code x1 y1 x2 y2} (see {@link Annotation}); the image spans
 * {@code [0, width] x [0, height]}. Annotation tools often put a box edge one pixel past the border
 * (VOC's {@code xmin = 0}, COCO's rounding of {@code x + w}); such boxes are clipped to the image.
 * A box further outside is a labelling error and is reported.
 */
public final class BoxBounds {
    /** Pixels a box may reach past the image border before it is an error; within it, it is clipped. */
    public static final double TOLERANCE = 1.0;

    private BoxBounds() {}

    /**
     * The fast path: true when the box is finite, non-empty and inside the image, so that
     * {@link #checkAndClip} would return it unchanged.
     */
    public static boolean isInside(float x1, float y1, float x2, float y2, int width, int height) {
        return x1 >= 0 && y1 >= 0 && x2 > x1 && y2 > y1 && x2 <= width && y2 <= height;
    }

    /**
     * Checks a box against an image of {@code width x height} pixels and clips it to the image.
     *
     * @param file  the annotation file, for the message
     * @param where the field or line of the box, for the message
     * @return the clipped box {@code {x1, y1, x2, y2}}
     * @throws BadInputException when a coordinate is not finite, the box is empty
     *                           ({@code x2 <= x1} or {@code y2 <= y1}), or it reaches more than
     *                           {@link #TOLERANCE} pixels past the image
     */
    public static float[] checkAndClip(
            Path file, String where, double x1, double y1, double x2, double y2, int width, int height) {
        if (!(Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2))) {
            throw new BadInputException(file, where, "box has a non-finite coordinate " + describe(x1, y1, x2, y2));
        }
        float fx1 = (float) x1, fy1 = (float) y1, fx2 = (float) x2, fy2 = (float) y2;
        if (!(fx2 > fx1) || !(fy2 > fy1)) {
            throw new BadInputException(file, where, "empty box: width " + (x2 - x1) + " and height " + (y2 - y1)
                    + " must be > 0 " + describe(x1, y1, x2, y2));
        }
        if (x1 < -TOLERANCE || y1 < -TOLERANCE || x2 > width + TOLERANCE || y2 > height + TOLERANCE) {
            throw new BadInputException(file, where, "box " + describe(x1, y1, x2, y2) + " lies outside the "
                    + width + "x" + height + " image by more than " + TOLERANCE + " px");
        }
        float cx1 = Math.max(fx1, 0f), cy1 = Math.max(fy1, 0f);
        float cx2 = Math.min(fx2, (float) width), cy2 = Math.min(fy2, (float) height);
        if (!(cx2 > cx1) || !(cy2 > cy1)) {
            throw new BadInputException(file, where, "box " + describe(x1, y1, x2, y2)
                    + " is empty once clipped to the " + width + "x" + height + " image");
        }
        return new float[] {cx1, cy1, cx2, cy2};
    }

    private static String describe(double x1, double y1, double x2, double y2) {
        return "(x1 " + x1 + ", y1 " + y1 + ", x2 " + x2 + ", y2 " + y2 + ")";
    }
}
