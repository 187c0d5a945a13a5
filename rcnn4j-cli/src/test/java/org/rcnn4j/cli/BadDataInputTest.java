package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data files through the command line (images, COCO and VOC annotations, results and proposals
 * files): each is one line naming the file and the field, exit code 2, no stack trace. The readers'
 * own tests go through every field; these show each kind reaching the user as the contract says.
 * The table of kinds: bench/results/bad_input.md.
 */
class BadDataInputTest extends TinyModelCliTest {
    @TempDir Path dir;

    /** The first image of the synthesised data (64 x 64 PNG). */
    private static byte[] png() throws Exception {
        return Files.readAllBytes(data.getParent().resolve("images/000001.png"));
    }

    /** {@code detect} on one image file holding {@code bytes}. */
    private CliRun detect(String name, byte[] bytes) throws Exception {
        Path image = Files.write(dir.resolve(name), bytes);
        return CliRun.of("detect", "--model", model.toString(), "--json", dir.resolve("out.json").toString(), image.toString());
    }

    // ---- images

    @Test
    void anEmptyImageFile() throws Exception {
        detect("empty.png", new byte[0]).assertBadInput(dir.resolve("empty.png") + ": empty file, not an image");
    }

    @Test
    void aTruncatedImage() throws Exception {
        byte[] png = png();
        detect("half.png", Arrays.copyOf(png, png.length / 2)).assertBadInput(dir.resolve("half.png") + ": truncated PNG");
    }

    /** A 64 x 64 PNG whose header declares 100000 x 100000 pixels: refused from the header, naming the size. */
    @Test
    void aDecompressionBomb() throws Exception {
        byte[] bomb = png();
        ByteBuffer.wrap(bomb, 16, 8).putInt(100_000).putInt(100_000);
        CRC32 crc = new CRC32();
        crc.update(bomb, 12, 17);
        ByteBuffer.wrap(bomb, 29, 4).putInt((int) crc.getValue());
        detect("bomb.png", bomb).assertBadInput(dir.resolve("bomb.png") + ": declares 100000x100000 pixels, over the limit of 89478485");
    }

    @Test
    void aTextFileNamedLikeAnImage() throws Exception {
        detect("notes.jpg", "not a picture".getBytes()).assertBadInput(dir.resolve("notes.jpg") + ": not an image file");
    }

    @Test
    void aMissingImageFile() {
        Path missing = dir.resolve("gone.png");
        CliRun.of("detect", "--model", model.toString(), "--json", dir.resolve("out.json").toString(), missing.toString())
                .assertBadInput(missing + ": image file not found");
    }

    /** Every image unreadable: exit 2, and the --json of an earlier run is not replaced by an empty one. */
    @Test
    void noReadableImageLeavesAnEarlierResultsFileAlone() throws Exception {
        Path results = Files.writeString(dir.resolve("out.json"), "[{\"image_id\": 1}]");
        detect("empty.png", new byte[0]).assertBadInput(dir.resolve("empty.png") + ": empty file, not an image");
        assertEquals("[{\"image_id\": 1}]", Files.readString(results));
    }

    @Test
    void aDirectoryWithoutImages() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("nothing"));
        CliRun.of("detect", "--model", model.toString(), "--json", dir.resolve("out.json").toString(), empty.toString())
                .assertBadInput("no image files");
    }

    /** A PNG named .jpg is a PNG: the format comes from the bytes. */
    @Test
    void aPngNamedJpgIsDetected() throws Exception {
        CliRun r = detect("photo.jpg", png());
        assertEquals(0, r.code(), r.err());
    }

    /** The annotations say 65 pixels wide, the file is 64: training names the image file. */
    @Test
    void anImageOfAnotherSizeThanItsAnnotationsSay() throws Exception {
        Path json = data.getParent().resolve("wider.json");
        Files.writeString(json, Files.readString(data).replaceFirst("\"width\":64", "\"width\":65"));
        CliRun.of("train", "--data", json.toString(), "--backbone", "tiny", "--iterations", "1", "--images-per-batch", "4",
                "--out", dir.resolve("m").toString()).assertBadInput("000001.png", "image is 64x64 pixels but the annotations say 65x64");
    }

    // ---- COCO annotations (eval --gt reads them without opening an image)

    private static final String IMAGE = "{\"id\": 1, \"file_name\": \"a.png\", \"width\": 64, \"height\": 48}";
    private static final String CATEGORY = "{\"id\": 3, \"name\": \"box\"}";

    /** {@code eval --gt} on a COCO file of {@link #IMAGE}, {@link #CATEGORY} and {@code annotations}. */
    private CliRun evalCoco(String... annotations) throws Exception {
        return evalGt("{\"images\": [" + IMAGE + "], \"categories\": [" + CATEGORY + "], \"annotations\": ["
                + String.join(", ", annotations) + "]}");
    }

    private CliRun evalGt(String json) throws Exception {
        Path gt = Files.writeString(dir.resolve("gt.json"), json);
        Path dt = Files.writeString(dir.resolve("dt.json"), "[]");
        return CliRun.of("eval", "--gt", gt.toString(), "--dt", dt.toString(), "--metric", "coco");
    }

    private String gt() {
        return dir.resolve("gt.json").toString();
    }

    @Test
    void cocoEmptyFile() throws Exception {
        evalGt("").assertBadInput(gt() + ": empty file");
    }

    @Test
    void cocoNegativeBoxWidth() throws Exception {
        evalCoco("{\"id\": 1, \"image_id\": 1, \"category_id\": 3, \"bbox\": [4, 4, -2, 10]}")
                .assertBadInput(gt() + ": annotations[0].bbox", "width -2.0 and height 10.0 must be > 0");
    }

    @Test
    void cocoNonFiniteCoordinate() throws Exception {
        evalCoco("{\"id\": 1, \"image_id\": 1, \"category_id\": 3, \"bbox\": [4, NaN, 2, 10]}")
                .assertBadInput(gt() + ": annotations[0].bbox", "bbox[1] is not a finite number: NaN");
        evalCoco("{\"id\": 1, \"image_id\": 1, \"category_id\": 3, \"bbox\": [4, 4, Infinity, 10]}")
                .assertBadInput(gt() + ": annotations[0].bbox", "not a finite number");
    }

    @Test
    void cocoBoxOutsideItsImage() throws Exception {
        evalCoco("{\"id\": 1, \"image_id\": 1, \"category_id\": 3, \"bbox\": [60, 4, 10, 10]}")
                .assertBadInput(gt() + ": annotations[0].bbox", "outside the 64x48 image");
    }

    @Test
    void cocoZeroImageSize() throws Exception {
        evalGt("{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 0, \"height\": 48}], \"categories\": ["
                + CATEGORY + "]}").assertBadInput(gt() + ": images[0].width", "must be > 0, got 0");
    }

    @Test
    void cocoDuplicateImageIds() throws Exception {
        evalGt("{\"images\": [" + IMAGE + ", " + IMAGE + "], \"categories\": [" + CATEGORY + "]}")
                .assertBadInput(gt() + ": images[1].id", "duplicate image id 1 (first at images[0])");
    }

    @Test
    void cocoDuplicateAnnotationIds() throws Exception {
        evalCoco("{\"id\": 7, \"image_id\": 1, \"category_id\": 3, \"bbox\": [4, 4, 2, 10]}",
                "{\"id\": 7, \"image_id\": 1, \"category_id\": 3, \"bbox\": [8, 4, 2, 10]}")
                .assertBadInput(gt() + ": annotations[1].id", "duplicate annotation id 7 (first at annotations[0])");
    }

    /** An annotation of a category the file does not list (categories missing or incomplete). */
    @Test
    void cocoUnknownCategory() throws Exception {
        evalCoco("{\"id\": 1, \"image_id\": 1, \"category_id\": 9, \"bbox\": [4, 4, 2, 10]}")
                .assertBadInput(gt() + ": annotations[0].category_id", "unknown category id 9");
    }

    @Test
    void cocoMissingField() throws Exception {
        evalCoco("{\"id\": 1, \"image_id\": 1, \"bbox\": [4, 4, 2, 10]}").assertBadInput(gt() + ": annotations[0].category_id", "missing");
    }

    @Test
    void cocoFieldOfTheWrongType() throws Exception {
        evalGt("{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": \"64\", \"height\": 48}]}")
                .assertBadInput(gt() + ": images[0].width", "expected a number, got \"64\"");
    }

    // ---- Pascal VOC annotations

    /** A VOC directory whose one annotation file holds {@code object}. */
    private Path voc(String object) throws Exception {
        Path root = dir.resolve("voc");
        Files.createDirectories(root.resolve("Annotations"));
        Files.createDirectories(root.resolve("ImageSets/Main"));
        Files.writeString(root.resolve("ImageSets/Main/test.txt"), "000001\n");
        Files.writeString(root.resolve("Annotations/000001.xml"), "<annotation>\n<filename>000001.jpg</filename>\n"
                + "<size><width>64</width><height>48</height><depth>3</depth></size>\n" + object + "</annotation>\n");
        return root;
    }

    private CliRun evalVoc(Path root) throws Exception {
        Path dt = Files.writeString(dir.resolve("dt.json"), "[]");
        return CliRun.of("eval", "--gt", root.toString(), "--split", "test", "--dt", dt.toString(), "--metric", "voc07");
    }

    @Test
    void vocMissingBoxField() throws Exception {
        Path root = voc("<object><name>box</name><difficult>0</difficult>\n<bndbox><xmin>4</xmin><ymin>4</ymin><xmax>20</xmax>"
                + "</bndbox></object>\n");
        evalVoc(root).assertBadInput(root.resolve("Annotations/000001.xml") + ": ", "object[1]/bndbox/ymax", "missing");
    }

    @Test
    void vocMalformedXml() throws Exception {
        Path root = voc("<object><name>box</name>\n");
        evalVoc(root).assertBadInput(root.resolve("Annotations/000001.xml") + ": line ", "malformed XML");
    }

    // ---- results and proposals files

    @Test
    void resultsEntryWithANonFiniteScore() throws Exception {
        Path gt = Files.writeString(dir.resolve("gt.json"), "{\"images\": [" + IMAGE + "], \"categories\": [" + CATEGORY + "]}");
        Path dt = Files.writeString(dir.resolve("dt.json"), "[{\"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 1, 5, 5], \"score\": NaN}]");
        CliRun.of("eval", "--gt", gt.toString(), "--dt", dt.toString(), "--metric", "coco").assertBadInput(dt + ": ", "[0].score", "NaN");
    }

    /** {@code eval --metric ar} on {@link #data} with a proposals file holding {@code json}. */
    private CliRun proposals(String json) throws Exception {
        Path file = Files.writeString(dir.resolve("proposals.json"), json);
        return CliRun.of("eval", "--data", data.toString(), "--proposals", file.toString(), "--metric", "ar");
    }

    @Test
    void proposalsBoxOfThreeNumbers() throws Exception {
        proposals("{\"images\": [{\"image_id\": 1, \"boxes\": [[1, 2, 3]], \"scores\": [1]}]}")
                .assertBadInput(dir.resolve("proposals.json") + ": images[0].boxes[0]", "3 numbers; expected [x1, y1, x2, y2]");
    }

    @Test
    void proposalsOfAnUnknownImage() throws Exception {
        proposals("{\"images\": [{\"image_id\": 99, \"boxes\": [[1, 2, 3, 4]], \"scores\": [1]}]}")
                .assertBadInput(dir.resolve("proposals.json") + ": images[0].image_id", "unknown image id 99");
    }

    @Test
    void proposalsEmptyFile() throws Exception {
        proposals("").assertBadInput(dir.resolve("proposals.json") + ": ", "expected a JSON object");
    }

    /** A failed write of proposals leaves the file the user had: bad data stops the run before any write. */
    @Test
    void proposalsOutputIsKeptWhenTheDataIsBad() throws Exception {
        Path out = Files.writeString(dir.resolve("mine.json"), "{\"images\": []}");
        Path gt = Files.writeString(dir.resolve("gt.json"), "{\"images\": [" + IMAGE + ", " + IMAGE + "]}");
        CliRun.of("proposals", "--method", "selective-search", "--data", gt.toString(), "--out", out.toString())
                .assertBadInput(gt + ": images[1].id");
        assertArrayEquals("{\"images\": []}".getBytes(), Files.readAllBytes(out));
    }
}
