package org.rcnn4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;

/** A 20k-image, 150k-annotation file with polygons, annotations listed before images, loads whole and right. */
class LargeCocoTest {
    @TempDir
    Path tmp;

    @Test
    void loadsModeratelyLargeFileWithAnnotationsFirst() throws Exception {
        SyntheticCoco synth = new SyntheticCoco(20_000, 150_000, 12, 7);
        Path json = tmp.resolve("large.json");
        synth.write(json, true);

        ReadResult result = CocoReader.read(json, ReadOptions.strict());
        Dataset d = result.dataset();

        assertEquals(0, result.skipped());
        assertEquals(20_000, d.images().size());
        assertEquals(150_000, d.numAnnotations());
        assertEquals(80, d.numClasses());
        assertEquals(1, d.categories().get(0).id());
        assertEquals(90, d.categories().get(79).id());
        assertEquals(13, d.categoryOfClass(12).id()); // 12 is one of COCO's gaps
        for (long imageId : new long[] {1, 4321, 20_000}) {
            ImageRecord im = d.image(imageId).orElseThrow();
            assertEquals(SyntheticCoco.fileName(imageId), im.fileName());
            assertEquals(String.format("%012d", imageId), im.name());
            assertEquals(SyntheticCoco.WIDTH, im.width());
            List<Integer> expected = new ArrayList<>();
            for (int j = 0; j < 150_000; j++) if (synth.imageOf(j) == imageId) expected.add(j);
            assertEquals(expected.size(), im.annotations().size());
            for (int k = 0; k < expected.size(); k++) {
                int j = expected.get(k);
                Annotation a = im.annotations().get(k);
                double[] b = synth.bbox(j);
                assertEquals(j + 1L, a.id());
                assertEquals(synth.categoryOf(j), a.categoryId());
                assertEquals((float) b[0], a.x1());
                assertEquals((float) b[1], a.y1());
                assertEquals((float) (b[0] + b[2]), a.x2());
                assertEquals((float) (b[1] + b[3]), a.y2());
                assertEquals(b[2] * b[3] * 0.75, a.area());
                assertEquals(j % 97 == 0, a.crowd());
            }
        }
        assertTrue(d.image(4321).orElseThrow().annotations().size() > 0);
    }
}
