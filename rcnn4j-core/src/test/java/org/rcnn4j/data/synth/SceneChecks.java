package org.rcnn4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Slow, obviously-correct checks of generated scenes, shared by the generator tests. */
final class SceneChecks {
    private SceneChecks() {}

    /**
     * Recomputes every object's visible pixels pixel by pixel from the layers (weight of object i =
     * alpha_i * prod over later objects of (1 - alpha_j), multiplied top-down) and asserts the
     * scene's box is their tight box, and its count their count.
     */
    static void assertBoxesTight(Scene scene) {
        List<SceneObject> objs = scene.objects();
        for (int i = 0; i < objs.size(); i++) {
            Layer li = objs.get(i).layer();
            int n = 0, minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
            for (int py = li.y(); py < li.y() + li.height(); py++) {
                for (int px = li.x(); px < li.x() + li.width(); px++) {
                    float t = 1f;
                    for (int j = objs.size() - 1; j > i; j--) t = t * (1f - objs.get(j).layer().alphaAt(px, py));
                    if (li.alphaAt(px, py) * t > SceneComposer.VISIBLE_ALPHA) {
                        n++;
                        minX = Math.min(minX, px);
                        maxX = Math.max(maxX, px);
                        minY = Math.min(minY, py);
                        maxY = Math.max(maxY, py);
                    }
                }
            }
            assertTrue(n > 0, "object " + i + " has no visible pixel");
            assertEquals(n, objs.get(i).visiblePixels(), "visible pixels of object " + i);
            assertArrayEquals(new float[] {minX, minY, maxX + 1, maxY + 1}, objs.get(i).box(), "box of object " + i);
        }
    }

    /** Boxes lie inside the image and are non-empty. */
    static void assertBoxesInside(Scene scene, int size) {
        for (SceneObject o : scene.objects()) {
            assertTrue(o.x1() >= 0 && o.y1() >= 0 && o.x2() <= size && o.y2() <= size, "box inside image");
            assertTrue(o.x2() > o.x1() && o.y2() > o.y1(), "non-empty box");
        }
    }

    /** Longer side of the tight box of a layer's own pixels (no occlusion). */
    static int ownLongerSide(Layer layer) {
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        for (int r = 0; r < layer.height(); r++) {
            for (int c = 0; c < layer.width(); c++) {
                if (layer.alpha()[r * layer.width() + c] > SceneComposer.VISIBLE_ALPHA) {
                    minX = Math.min(minX, c);
                    maxX = Math.max(maxX, c);
                    minY = Math.min(minY, r);
                    maxY = Math.max(maxY, r);
                }
            }
        }
        return Math.max(maxX - minX + 1, maxY - minY + 1);
    }

    /** Asserts two folders hold the same file names with the same bytes. */
    static void assertSameFiles(Path a, Path b) throws IOException {
        List<Path> fa = list(a);
        List<Path> fb = list(b);
        assertEquals(fa.size(), fb.size());
        for (int i = 0; i < fa.size(); i++) {
            assertEquals(fa.get(i).getFileName(), fb.get(i).getFileName());
            assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), "bytes of " + fa.get(i).getFileName());
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
