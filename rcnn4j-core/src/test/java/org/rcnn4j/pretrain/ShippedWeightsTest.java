package org.rcnn4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rcnn4j.modeling.backbone.BackboneWeights;

/** The shipped tiny weights come out of the jar whole, with their sidecar, once. */
class ShippedWeightsTest {
    @Test
    void tinyIsCopiedOutWholeWithItsSidecarAndReused() throws Exception {
        assertTrue(ShippedWeights.has("tiny"));
        assertFalse(ShippedWeights.has("resnet50"));
        assertTrue(ShippedWeights.file("resnet50").isEmpty());
        Path file = ShippedWeights.file("tiny").orElseThrow();
        assertTrue(file.getFileName().toString().matches("tiny-fashion-[0-9a-f]{12}\\.weights"), file.toString());
        byte[] inJar;
        try (var in = ShippedWeights.class.getResourceAsStream("tiny-fashion.weights")) {
            inJar = in.readAllBytes();
        }
        assertArrayEquals(inJar, Files.readAllBytes(file));
        assertEquals("tiny", BackboneWeights.readName(file));
        PretrainedInfo info = PretrainedInfo.read(file);
        assertEquals("tiny", info.backbone());
        assertEquals(0.708, info.validationAccuracy(), 1e-9);
        long modified = Files.getLastModifiedTime(file).toMillis();
        assertEquals(file, ShippedWeights.file("tiny").orElseThrow());
        assertEquals(modified, Files.getLastModifiedTime(file).toMillis(), "an existing copy is reused, not rewritten");
    }
}
