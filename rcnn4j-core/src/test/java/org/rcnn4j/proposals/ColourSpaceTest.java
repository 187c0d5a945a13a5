package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rcnn4j.preprocess.RgbImage;

class ColourSpaceTest {
    static float[] convert(ColourSpace s, int r, int g, int b) {
        float[][] planes = s.convert(new RgbImage(1, 1, new byte[] {(byte) r, (byte) g, (byte) b}));
        float[] out = new float[planes.length];
        for (int c = 0; c < planes.length; c++) out[c] = planes[c][0];
        return out;
    }

    static void assertValues(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tolerance, "channel " + i);
    }

    @Test
    void hsvScalesHueDegreesOnto255() {
        assertValues(new float[] {0, 255, 255}, convert(ColourSpace.HSV, 255, 0, 0), 1e-4f);
        assertValues(new float[] {120 * 255 / 360f, 255, 255}, convert(ColourSpace.HSV, 0, 255, 0), 1e-4f);
        // (0, 128, 255): max B, hue 240 + 60·(0 - 128)/255 = 209.88°, S 255, V 255.
        assertValues(new float[] {(240 - 60 * 128 / 255f) * 255 / 360f, 255, 255}, convert(ColourSpace.HSV, 0, 128, 255), 1e-3f);
        assertValues(new float[] {0, 0, 90}, convert(ColourSpace.HSV, 90, 90, 90), 1e-4f);
        assertValues(new float[] {(240 - 60 * 128 / 255f) * 255 / 360f}, convert(ColourSpace.HUE, 0, 128, 255), 1e-3f);
    }

    @Test
    void labMatchesReferenceValues() {
        // CIE L*a*b* (D65) of sRGB white, black and red: (100, 0, 0), (0, 0, 0), (53.24, 80.09, 67.20).
        assertValues(new float[] {255, 128, 128}, convert(ColourSpace.LAB, 255, 255, 255), 0.1f);
        assertValues(new float[] {0, 128, 128}, convert(ColourSpace.LAB, 0, 0, 0), 0.01f);
        assertValues(new float[] {53.24f * 2.55f, 80.09f + 128, 67.20f + 128}, convert(ColourSpace.LAB, 255, 0, 0), 0.1f);
    }

    @Test
    void rgIAndIntensity() {
        assertValues(new float[] {255 * 30 / 180f, 255 * 60 / 180f, 60}, convert(ColourSpace.RGI, 30, 60, 90), 1e-4f);
        assertValues(new float[] {85, 85, 0}, convert(ColourSpace.RGI, 0, 0, 0), 1e-4f);
        assertValues(new float[] {60}, convert(ColourSpace.INTENSITY, 30, 60, 90), 1e-4f);
    }
}
