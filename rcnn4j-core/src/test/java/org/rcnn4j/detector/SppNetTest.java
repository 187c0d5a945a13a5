package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.ImagePyramid;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;

/** SPP-net's config rules and its region features: the paper's values, the pyramid, rows in window order. */
class SppNetTest {
    static final ImageRecord RECORD = new ImageRecord(3, "s", "s.png", 96, 80, List.of());
    /** Windows of very different sizes, so that a pyramid pools them at different scales. */
    static final float[] WINDOWS = {2, 2, 14, 12, 10, 5, 90, 76, 30, 20, 50, 40, 0, 0, 96, 80, 60, 40, 66, 47, 20, 30, 44, 61};

    @Test
    void paperConfigHasThePapersValues() {
        SppNetConfig p = SppNetConfig.paper("zf", 20);
        assertEquals(688, p.input().shortSide());
        assertEquals(List.of(6, 3, 2, 1), p.sppLevels());
        assertEquals(50, p.spp().bins());
        assertEquals(4000, p.boxRegression().lambda());
        assertEquals(0.5f, p.boxRegression().minIoU());
        assertEquals(0.5f, p.roi().fgIoU());
        assertEquals(0.1f, p.roi().bgLow());
        assertEquals(0.25f, p.roi().fgFraction());
        assertEquals(0.3f, p.test().nms());
        assertEquals(0, p.fineTuneBackground(), "the paper caches every window");
        assertEquals(Integer.MAX_VALUE, p.frozenStages(), "the conv layers are not fine-tuned");
        ImagePyramid five = SppNetConfig.paperPyramid("zf", 20).pyramid();
        assertArrayEquals(new int[] {480, 576, 688, 864, 1200}, five.testScales());
        assertEquals(224, five.canonicalSide());
        p.validate();
        SppNetConfig.paperPyramid("zf", 20).validate();
    }

    @Test
    void smallPyramidScalesThePapersScalesAndTargetSize() {
        SppNetConfig c = SppNetConfig.smallPyramid("tiny", 5, 416);
        // 480·416/688 = 290.2, 576·416/688 = 348.3, 864·416/688 = 522.4, 1200·416/688 = 725.6.
        assertArrayEquals(new int[] {290, 348, 416, 522, 726}, c.pyramid().testScales());
        assertEquals(64, c.pyramid().canonicalSide(), "tiny is pre-trained at 64 px, as ImageNet networks at 224");
        assertEquals(1210, c.input().maxSize(), "5/3 of the largest scale");
        c.validate();
    }

    @Test
    void validationNamesTheField() {
        SppNetConfig c = SppNetConfig.small("tiny", 2, 64);
        assertEquals("roi.pooler", assertThrows(ConfigException.class,
                () -> c.withRoi(c.roi().withPooler(PoolerType.ROI_ALIGN)).validate()).field());
        SppNetConfig noLevels = new SppNetConfig("tiny", 2, c.input(), c.pyramid(), 10, List.of(), c.roi(), 0, c.svm(),
                c.boxRegression(), c.test());
        assertEquals("sppLevels", assertThrows(ConfigException.class, noLevels::validate).field());
        SppNetConfig negative = new SppNetConfig("tiny", 2, c.input(), c.pyramid(), 10, c.sppLevels(), c.roi(), -1, c.svm(),
                c.boxRegression(), c.test());
        assertEquals("fineTuneBackground", assertThrows(ConfigException.class, negative::validate).field());
    }

    @Test
    void theConvLayersAreFrozenAndTheFcLayersTrain() {
        try (SppNet model = SppNet.create(SppNetConfig.small("tiny", 2, 64), 1, null)) {
            for (Pair<String, Parameter> p : model.backbone().getParameters()) {
                assertFalse(p.getValue().requiresGradient(), p.getKey() + " is fine-tuned");
            }
            for (Pair<String, Parameter> p : model.head().getParameters()) {
                assertEquals(true, p.getValue().requiresGradient(), p.getKey() + " is frozen");
            }
        }
    }

    /**
     * The windows of a 5-scale pyramid are pooled grouped by scale; the features come back in the
     * caller's window order, each equal to that window pooled alone.
     */
    @Test
    void regionFeaturesComeBackInWindowOrderFromAPyramid() {
        SppNetConfig c = SppNetConfig.smallPyramid("tiny", 2, 64);
        RgbImage image = FasterRcnnTest.stripes(96, 80);
        try (SppNet model = SppNet.create(c, 2, null)) {
            ParameterStore ps = new ParameterStore(model.manager(), false);
            Normalize n = Normalize.imagenet();
            RegionFeatures all = model.regionFeatures(ps, image, RECORD, WINDOWS, n);
            assertEquals(6, all.count());
            assertEquals(model.config().pooledChannels() * 50, all.pool5Size());
            int[] scales = new org.rcnn4j.modeling.poolers.PyramidScaleMapper(c.pyramid().canonicalSide())
                    .assign(WINDOWS, factors(c, 96, 80));
            assertFalse(java.util.Arrays.stream(scales).allMatch(s -> s == scales[0]), "the windows use several scales");
            for (int w = 0; w < 6; w++) {
                float[] one = java.util.Arrays.copyOfRange(WINDOWS, 4 * w, 4 * w + 4);
                RegionFeatures alone = model.regionFeatures(ps, image, RECORD, one, n);
                assertArrayEquals(alone.pool5(), java.util.Arrays.copyOfRange(all.pool5(), w * all.pool5Size(),
                        (w + 1) * all.pool5Size()), "pooled window " + w);
                assertArrayEquals(alone.fc7(), java.util.Arrays.copyOfRange(all.fc7(), w * all.fc7Size(),
                        (w + 1) * all.fc7Size()), 1e-5f, "fc7 of window " + w);
            }
            assertEquals(0, model.regionFeatures(ps, image, RECORD, new float[0], n).count());
        }
    }

    private static double[] factors(SppNetConfig c, int w, int h) {
        int[] s = c.pyramid().testScales();
        double[] f = new double[s.length];
        for (int k = 0; k < s.length; k++) {
            f[k] = org.rcnn4j.preprocess.Resize.toShortSide(FasterRcnnTest.stripes(w, h), s[k], c.input().maxSize()).scale();
        }
        return f;
    }
}
