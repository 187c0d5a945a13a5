package org.rcnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;

/** Image files are looked up in the image folders in order; missing ones name the annotation file. */
class ImageFilesTest {
    @TempDir
    Path tmp;

    private Dataset coco(String... fileNames) throws Exception {
        Files.createDirectories(tmp.resolve("images"));
        List<ImageRecord> images = new java.util.ArrayList<>();
        for (int i = 0; i < fileNames.length; i++) {
            images.add(new ImageRecord(i + 1, "n" + i, fileNames[i], 4, 4, List.of()));
        }
        return new Dataset(tmp.resolve("ann.json"), List.of(tmp, tmp.resolve("images")), List.of(), images);
    }

    @Test
    void findsFilesInEitherFolder() throws Exception {
        Dataset d = coco("a.png", "b.png");
        Files.writeString(tmp.resolve("a.png"), "x");
        Files.writeString(tmp.resolve("images/b.png"), "x");
        ReadResult r = ImageFiles.check(d, ReadOptions.strict());
        assertSame(d, r.dataset());
        assertEquals(0, r.skipped());
    }

    @Test
    void missingFileNamesTheJsonAndTheImage() throws Exception {
        Dataset d = coco("a.png", "gone.png");
        Files.writeString(tmp.resolve("a.png"), "x");
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.check(d, ReadOptions.strict()));
        assertEquals(tmp.resolve("ann.json").toString(), e.file());
        assertEquals("image id 2", e.where());
        assertTrue(e.getMessage().contains("image file not found: gone.png"), e.getMessage());

        ReadResult r = ImageFiles.check(d, ReadOptions.skipping());
        assertEquals(1, r.skipped());
        assertEquals(List.of(1L), r.dataset().images().stream().map(ImageRecord::id).toList());
    }

    @Test
    void vocMissingFileNamesTheXml() throws Exception {
        Path voc = Files.createDirectories(tmp.resolve("voc"));
        ImageRecord im = new ImageRecord(5, "000005", "JPEGImages/000005.jpg", 4, 4, List.of());
        Dataset d = new Dataset(voc, List.of(voc), List.of(), List.of(im));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.check(d, ReadOptions.strict()));
        assertEquals(voc.resolve("Annotations/000005.xml").toString(), e.file());
        // with nothing found at all, skipping still fails
        e = assertThrows(BadInputException.class, () -> ImageFiles.check(d, ReadOptions.skipping()));
        assertTrue(e.getMessage().contains("none of the 1 image files was found"), e.getMessage());
    }
}
