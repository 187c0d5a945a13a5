package org.rcnn4j.modeling.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every backbone's declared outputs, and the map sizes it really produces. */
class BackbonesTest {
    /** Channels of the stride-16 output C4 and of C5, by name. */
    private static final Map<String, int[]> CHANNELS = Map.of(
            "tiny", new int[] {64, 64},
            "zf", new int[] {128, 128},
            "resnet18", new int[] {256, 512},
            "resnet18-w0.5", new int[] {128, 256},
            "resnet18-w0.25", new int[] {64, 128},
            "resnet50", new int[] {1024, 2048},
            "resnet50-frozen-bn", new int[] {1024, 2048},
            "vgg16", new int[] {512, 512});

    @Test
    void everyNameBuildsAndDeclaresStride16OutputAndPyramid() {
        assertEquals(CHANNELS.keySet(), new java.util.HashSet<>(Backbones.NAMES));
        for (String name : Backbones.NAMES) {
            Backbone b = Backbones.create(name);
            assertEquals(name, b.name());
            assertEquals(List.of(new FeatureSpec("C4", CHANNELS.get(name)[0], 16)), b.outputs());
            List<FeatureSpec> pyramid = b.pyramid();
            assertEquals(List.of(4, 8, 16, 32), pyramid.stream().map(FeatureSpec::stride).toList(), name);
            assertEquals(CHANNELS.get(name)[1], pyramid.get(3).channels(), name);
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backbones.create("resnet101"));
        assertTrue(e.getMessage().contains("resnet101"), e.getMessage());
        for (String name : Backbones.NAMES) assertTrue(e.getMessage().contains(name), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backbones.create(null));
    }

    /** Shape inference alone (no weights): every stage of every backbone is ceil(side / stride). */
    @Test
    void inferredStageShapesAreCeilOfInputOverStride() {
        int[][] inputs = {{96, 128}, {600, 1000}, {101, 67}};
        for (String name : Backbones.NAMES) {
            Backbone b = Backbones.create(name);
            for (int[] hw : inputs) {
                List<Shape[]> shapes = b.stageShapes(new Shape(2, 3, hw[0], hw[1]));
                List<FeatureSpec> stages = b.stages();
                for (int s = 0; s < stages.size(); s++) {
                    FeatureSpec spec = stages.get(s);
                    Shape expected = new Shape(2, spec.channels(), spec.mapSize(hw[0]), spec.mapSize(hw[1]));
                    assertEquals(expected, shapes.get(s)[0], name + " " + spec.name() + " for " + hw[0] + "x" + hw[1]);
                }
                assertEquals(shapes.get(b.stages().indexOf(b.output()))[0], b.getOutputShapes(new Shape[] {new Shape(2, 3, hw[0], hw[1])})[0]);
            }
        }
    }

    /** Real forward passes of the CPU-sized backbones: a 96 x 128 image gives a 6 x 8 C4, 101 x 67 gives 7 x 5. */
    @Test
    void forwardProducesDeclaredShapes() {
        for (String name : List.of("tiny", "zf", "resnet18-w0.25")) {
            try (NDManager m = NDManager.newBaseManager()) {
                Backbone b = Backbones.create(name);
                b.initialize(m, 1);
                ParameterStore store = new ParameterStore(m, false);
                NDArray out = b.features(store, m.randomNormal(new Shape(1, 3, 96, 128)), false);
                assertEquals(new Shape(1, b.output().channels(), 6, 8), out.getShape(), name);
                FeatureMaps maps = b.forwardStages(store, m.randomNormal(new Shape(1, 3, 101, 67)), false, Backbone.PYRAMID);
                assertEquals(4, maps.size());
                for (String stage : Backbone.PYRAMID) {
                    FeatureSpec spec = maps.spec(stage);
                    assertEquals(new Shape(1, spec.channels(), spec.mapSize(101), spec.mapSize(67)), maps.get(stage).getShape(), name + " " + stage);
                }
                assertEquals(new Shape(1, b.output().channels(), 7, 5), maps.get("C4").getShape());
                assertThrows(IllegalArgumentException.class, () -> maps.get("C6"));
            }
        }
    }

    @Test
    void mapSizeRoundsUp() {
        FeatureSpec c4 = new FeatureSpec("C4", 8, 16);
        assertEquals(1, c4.mapSize(1));
        assertEquals(1, c4.mapSize(16));
        assertEquals(2, c4.mapSize(17));
        assertEquals(38, c4.mapSize(600));
        assertThrows(IllegalArgumentException.class, () -> new FeatureSpec("C4", 8, 12));
    }

    @Test
    void unknownStageIsRejectedWithTheStageList() {
        Backbone b = Backbones.create("tiny");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.stage("conv9"));
        assertTrue(e.getMessage().contains("C1") && e.getMessage().contains("C5"), e.getMessage());
    }
}
