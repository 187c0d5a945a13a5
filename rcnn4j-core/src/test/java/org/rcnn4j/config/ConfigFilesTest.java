package org.rcnn4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.detector.FastRcnnConfig;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.detector.FpnConfig;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.Augmentation;
import org.rcnn4j.preprocess.PhotometricJitter;
import org.rcnn4j.preprocess.RandomCrop;

/** Config files are read back equal, and every bad field is one line naming the file and the field. */
class ConfigFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    static FasterRcnnConfig small() {
        return FasterRcnnConfig.small("tiny", 3, 416, new float[] {16, 32, 64});
    }

    private Path write(Object config) throws Exception {
        Path file = tmp.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return file;
    }

    /** The file of {@link #small()} with one change made to its JSON tree. */
    private BadInputException refused(Consumer<ObjectNode> change) throws Exception {
        ObjectNode tree = JSON.valueToTree(small());
        change.accept(tree);
        Path file = write(tree);
        return assertThrows(BadInputException.class, () -> ConfigFiles.read(file, FasterRcnnConfig.class));
    }

    @Test
    void everyDetectorsConfigReadsBackEqual() throws Exception {
        DetectorConfig[] configs = {small(), FpnConfig.small("tiny", 3, 256, 8), FastRcnnConfig.paperPyramid("vgg16", 20),
            FpnConfig.torchvision(90)};
        for (DetectorConfig c : configs) {
            assertEquals(c, ConfigFiles.read(write(c), c.getClass()), c.getClass().getSimpleName());
        }
        // Arrays compare by value: equal configs built twice are equal, and a changed anchor is not.
        assertEquals(small(), small());
        assertEquals(small().hashCode(), small().hashCode());
        assertNotEquals(small(), FasterRcnnConfig.small("tiny", 3, 416, new float[] {16, 32, 128}));
    }

    /** A config copied from a model.json written before roi.svdFc6, roi.svdFc7 and roi.head existed. */
    @Test
    void fieldsAddedLaterReadAsTheirDefaults() throws Exception {
        ObjectNode tree = JSON.valueToTree(small());
        ((ObjectNode) tree.get("roi")).remove(java.util.List.of("svdFc6", "svdFc7", "head"));
        assertEquals(small(), ConfigFiles.read(write(tree), FasterRcnnConfig.class));
    }

    /**
     * A config written before the options torchvision's inference needs (input.sizeDivisibility and
     * resize, the pyramid's anchor rules, rpn.nmsPerLevel, roi.samplingRatio and aligned) reads as the
     * behaviour it was trained with; the torchvision config differs in each.
     */
    @Test
    void torchvisionsOptionsReadAsTheFormerBehaviourWhenAbsent() throws Exception {
        FpnConfig fpn = FpnConfig.small("tiny", 3, 256, 8);
        ObjectNode tree = JSON.valueToTree(fpn);
        ((ObjectNode) tree.get("input")).remove(java.util.List.of("sizeDivisibility", "resize"));
        ((ObjectNode) tree.get("pyramid")).remove(java.util.List.of("roundAnchors", "stridesFromSizes"));
        ((ObjectNode) tree.get("rpn")).remove("nmsPerLevel");
        ((ObjectNode) tree.get("roi")).remove(java.util.List.of("samplingRatio", "aligned"));
        tree.remove("frozenStages");
        FpnConfig read = ConfigFiles.read(write(tree), FpnConfig.class);
        assertEquals(fpn, read);
        assertEquals(1, read.input().sizeDivisibility());
        assertEquals(ResizeConvention.OPENCV, read.input().resize());
        assertEquals(0, read.roi().samplingRatio());
        assertTrue(read.roi().aligned());
        FpnConfig tv = FpnConfig.torchvision(90);
        assertEquals(32, tv.input().sizeDivisibility());
        assertEquals(ResizeConvention.TORCHVISION, tv.input().resize());
        assertTrue(tv.pyramid().roundAnchors() && tv.pyramid().stridesFromSizes() && tv.rpn().nmsPerLevel());
        assertEquals(2, tv.roi().samplingRatio());
        assertEquals(0, read.frozenStages());
        assertEquals(2, tv.frozenStages(), "torchvision fine-tunes with the stem and C2 frozen");
        assertEquals(false, tv.roi().aligned());
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigFiles.read(write(
                JSON.valueToTree(tv.withInput(tv.input().withTestTransform(16, ResizeConvention.TORCHVISION)))), FpnConfig.class));
        assertEquals("pyramid.stridesFromSizes", e.where());
        e = assertThrows(BadInputException.class, () -> ConfigFiles.read(write(
                JSON.valueToTree(tv.withRoi(tv.roi().withAlignSampling(-1, false)))), FpnConfig.class));
        assertEquals("roi.samplingRatio", e.where());
    }

    /** A model.json written before input.augmentation existed trained without it, and reads so. */
    @Test
    void aConfigWithoutAugmentationReadsAsNone() throws Exception {
        FasterRcnnConfig augmented = small().withInput(small().input().withAugmentation(
                new Augmentation(new RandomCrop(0.5, 0.6, 0.4), new PhotometricJitter(0.2, 0.3, 0.4, 0.05, 0.1))));
        assertEquals(augmented, ConfigFiles.read(write(augmented), FasterRcnnConfig.class), "read back equal");
        ObjectNode tree = JSON.valueToTree(augmented);
        assertEquals(java.util.Set.of("crop", "photometric"), fieldNames(tree.get("input").get("augmentation")));
        ((ObjectNode) tree.get("input")).remove("augmentation");
        assertEquals(Augmentation.none(), ConfigFiles.read(write(tree), FasterRcnnConfig.class).input().augmentation());
        ((ObjectNode) tree.get("input")).set("augmentation", JSON.valueToTree(augmented.input().augmentation()));
        ((ObjectNode) tree.get("input").get("augmentation")).remove("photometric");
        assertEquals(PhotometricJitter.none(), ConfigFiles.read(write(tree), FasterRcnnConfig.class).input().augmentation().photometric(),
                "a missing part reads as none");
        ((ObjectNode) tree.get("input").get("augmentation").get("crop")).put("minSide", 1.5);
        Path file = write(tree);
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigFiles.read(file, FasterRcnnConfig.class));
        assertEquals("input.augmentation.crop", e.where(), "the section; the message names the field");
        assertEquals("minSide must be in (0, 1], got 1.5", e.what());
    }

    private static java.util.Set<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aClosedChoiceNamesTheFieldAndTheValuesAccepted() throws Exception {
        BadInputException e = refused(t -> ((ObjectNode) t.get("roi")).put("pooler", "max"));
        assertEquals("roi.pooler", e.where());
        assertEquals("expected one of [roi-pool, roi-align], got 'max'", e.what());
        assertTrue(e.getMessage().startsWith(tmp.resolve("config.json") + ": roi.pooler: "), e.getMessage());
        e = refused(t -> ((ObjectNode) t.get("roi")).put("head", "c6"));
        assertEquals("roi.head", e.where());
        assertEquals("expected one of [fc, c5], got 'c6'", e.what());
    }

    @Test
    void valuesOutOfRangeNameTheirField() throws Exception {
        BadInputException e = refused(t -> ((ObjectNode) t.get("rpn")).put("nms", 1.5));
        assertEquals("rpn.nms", e.where());
        assertEquals("must be in (0, 1], got 1.5", e.what());
        e = refused(t -> ((ObjectNode) t.get("roi")).put("bgLow", 0.7));
        assertEquals("roi.bgLow", e.where());
        e = refused(t -> ((ObjectNode) t.get("input")).put("maxSize", 100));
        assertEquals("input.maxSize", e.where());
        e = refused(t -> t.put("numClasses", 0));
        assertEquals("numClasses", e.where());
        e = refused(t -> ((ObjectNode) t.get("roi")).put("head", "c5").put("svdFc6", 8));
        assertEquals("roi.head", e.where());
        assertTrue(e.what().contains("no fc6/fc7 to factorise"), e.what());
    }

    @Test
    void malformedUnknownAndMissingFieldsNameTheirField() throws Exception {
        BadInputException e = refused(t -> ((ObjectNode) t.get("roi")).put("fc6", "big"));
        assertEquals("roi.fc6", e.where());
        e = refused(t -> ((ObjectNode) t.get("roi")).put("poolr", "roi-align"));
        assertEquals("roi.poolr", e.where());
        assertEquals("unknown field 'poolr'", e.what());
        e = refused(t -> t.remove("rpn"));
        assertEquals("rpn", e.where());
        assertEquals("missing", e.what());
        Path notJson = tmp.resolve("bad.json");
        Files.writeString(notJson, "{\"backbone\": ");
        e = assertThrows(BadInputException.class, () -> ConfigFiles.read(notJson, FasterRcnnConfig.class));
        assertTrue(e.getMessage().startsWith(notJson + ": not JSON"), e.getMessage());
        for (BadInputException x : new BadInputException[] {e}) assertTrue(!x.getMessage().contains("\n"), x.getMessage());
    }

    @Test
    void aMissingEmptyOrFolderConfigIsOneLine() throws Exception {
        Path missing = tmp.resolve("nope.json");
        assertEquals(missing + ": no such file",
                assertThrows(BadInputException.class, () -> ConfigFiles.read(missing, FasterRcnnConfig.class)).getMessage());
        Path empty = Files.writeString(tmp.resolve("empty.json"), "");
        assertEquals(empty + ": empty file, not a config",
                assertThrows(BadInputException.class, () -> ConfigFiles.read(empty, FasterRcnnConfig.class)).getMessage());
        Path array = Files.writeString(tmp.resolve("array.json"), "[1, 2]");
        assertEquals(array + ": not a JSON object",
                assertThrows(BadInputException.class, () -> ConfigFiles.read(array, FasterRcnnConfig.class)).getMessage());
        assertEquals(tmp + ": a directory, not a config file",
                assertThrows(BadInputException.class, () -> ConfigFiles.read(tmp, FasterRcnnConfig.class)).getMessage());
    }

    @Test
    void aModelJsonConfigIsNamedByItsPathInTheFile() throws Exception {
        ObjectNode tree = JSON.valueToTree(small());
        ((ObjectNode) tree.get("test")).put("nms", 0);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigFiles.fromTree(tree, FasterRcnnConfig.class, Path.of("model.json"), "config"));
        assertEquals("model.json: config.test.nms: must be in (0, 1], got 0", e.getMessage());
    }
}
