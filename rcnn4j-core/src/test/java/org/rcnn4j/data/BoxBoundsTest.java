package org.rcnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rcnn4j.io.BadInputException;

/** Box checks on a 100 x 50 image: tolerance, clipping, empty and non-finite boxes. */
class BoxBoundsTest {
    private static final Path F = Path.of("a.json");

    private static float[] check(double x1, double y1, double x2, double y2) {
        return BoxBounds.checkAndClip(F, "bbox", x1, y1, x2, y2, 100, 50);
    }

    @Test
    void insideBoxIsUnchanged() {
        assertArrayEquals(new float[] {0, 0, 100, 50}, check(0, 0, 100, 50));
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, check(1.5, 2, 3, 4));
        assertTrue(BoxBounds.isInside(0, 0, 100, 50, 100, 50));
    }

    @Test
    void withinOnePixelIsClipped() {
        assertArrayEquals(new float[] {0, 0, 100, 50}, check(-1, -0.5, 101, 51));
        assertFalse(BoxBounds.isInside(-1, 0, 10, 10, 100, 50));
    }

    @Test
    void beyondOnePixelFails() {
        BadInputException e = assertThrows(BadInputException.class, () -> check(-1.01, 0, 10, 10));
        assertEquals("a.json: bbox: box (x1 -1.01, y1 0.0, x2 10.0, y2 10.0) lies outside the 100x50 image by more than 1.0 px",
                e.getMessage());
        assertThrows(BadInputException.class, () -> check(0, 0, 10, 51.5));
    }

    @Test
    void emptyOrNonFiniteFails() {
        assertThrows(BadInputException.class, () -> check(5, 5, 5, 10));
        assertThrows(BadInputException.class, () -> check(5, 5, 10, 4));
        assertThrows(BadInputException.class, () -> check(Double.NaN, 5, 10, 10));
        assertThrows(BadInputException.class, () -> check(0, 0, Double.POSITIVE_INFINITY, 10));
        // inside the tolerance band only: nothing is left once clipped
        BadInputException e = assertThrows(BadInputException.class, () -> check(-1, 0, -0.5, 10));
        assertTrue(e.getMessage().contains("empty once clipped"), e.getMessage());
        assertFalse(BoxBounds.isInside(Float.NaN, 0, 10, 10, 100, 50));
    }
}
