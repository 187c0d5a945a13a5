package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.ImageRecord;

/**
 * torchvision's transform against values PyTorch 1.13 computed ({@code F.interpolate(x, size,
 * mode="bilinear", align_corners=False)}; {@code _resize_image_and_masks(image, 800., 1333.)}).
 */
class TorchvisionResizeTest {
    /** x = 0.5 · arange(12) − 1 as a 3 × 4 map. */
    private static float[] ramp() {
        float[] x = new float[12];
        for (int i = 0; i < 12; i++) x[i] = 0.5f * i - 1;
        return x;
    }

    @Test
    void upsamplesAsPyTorch() {
        float[] expected = {-1.0f, -0.8214285373687744f, -0.5357142686843872f, -0.24999994039535522f, 0.035714343190193176f,
            0.32142865657806396f, 0.5f, -0.19999992847442627f, -0.021428510546684265f, 0.26428577303886414f, 0.5500001311302185f,
            0.8357144594192505f, 1.1214287281036377f, 1.3000001907348633f, 1.0000001192092896f, 1.1785714626312256f,
            1.4642858505249023f, 1.7500001192092896f, 2.0357143878936768f, 2.3214287757873535f, 2.500000238418579f,
            2.200000286102295f, 2.3785715103149414f, 2.664285898208618f, 2.950000286102295f, 3.2357144355773926f,
            3.5214288234710693f, 3.700000286102295f, 3.0f, 3.1785712242126465f, 3.4642858505249023f, 3.75f, 4.035714626312256f,
            4.3214287757873535f, 4.5f};
        assertArrayEquals(expected, TorchvisionResize.bilinear(ramp(), 1, 3, 4, 5, 7), 1e-6f);
    }

    @Test
    void downsamplesAsPyTorch() {
        float[] expected = {-0.4166666865348816f, 0.2500000298023224f, 0.9166666865348816f, 2.5833334922790527f, 3.25f,
            3.9166667461395264f};
        assertArrayEquals(expected, TorchvisionResize.bilinear(ramp(), 1, 3, 4, 2, 3), 1e-6f);
    }

    @Test
    void sizesAreTorchvisions() {
        int[][] cases = {{1500, 600, 1332, 533}, {640, 480, 1066, 800}, {500, 333, 1201, 799}, {1, 1, 800, 800}};
        for (int[] c : cases) {
            double scale = TorchvisionResize.scaleFactor(c[0], c[1], 800, 1333);
            assertEquals(c[2], TorchvisionResize.scaledLength(c[0], scale), c[0] + "x" + c[1] + " width");
            assertEquals(c[3], TorchvisionResize.scaledLength(c[1], scale), c[0] + "x" + c[1] + " height");
        }
    }

    @Test
    void batchIsNormalisedResizedAndZeroPadded() {
        byte[] px = new byte[3 * 10 * 7];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 37);
        RgbImage image = new RgbImage(10, 7, px);
        Normalize n = Normalize.imagenet();
        DetectionBatch b = TorchvisionResize.batch(image, new ImageRecord(1, "a", "a.png", 10, 7, List.of()), n, 14, 100, 8);
        assertEquals(20, b.image(0).width());
        assertEquals(14, b.image(0).height());
        assertEquals(16, b.height());
        assertEquals(24, b.width());
        float[] resized = TorchvisionResize.bilinear(n.toChw(image), 3, 7, 10, 14, 20);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 24; x++) {
                    float v = b.pixels()[(c * 16 + y) * 24 + x];
                    assertEquals(y < 14 && x < 20 ? resized[(c * 14 + y) * 20 + x] : 0f, v, 0f, "c " + c + " y " + y + " x " + x);
                }
            }
        }
    }
}
