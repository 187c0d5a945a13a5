package org.rcnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;

/** DATA is a COCO file or a VOC directory; anything else is named in the error. */
class DatasetReaderTest {
    @TempDir
    Path tmp;

    @Test
    void fileReadsAsCocoDirectoryAsVoc() throws Exception {
        Path json = tmp.resolve("a.json");
        Files.writeString(json, "{\"images\": [{\"id\": 4, \"file_name\": \"x.png\", \"width\": 2, \"height\": 2}]}");
        assertEquals(4, DatasetReader.read(json, "ignored", ReadOptions.strict()).dataset().images().get(0).id());

        Path voc = tmp.resolve("voc");
        Files.createDirectories(voc.resolve("Annotations"));
        Files.createDirectories(voc.resolve("ImageSets/Main"));
        Files.writeString(voc.resolve("Annotations/7.xml"), "<annotation><size><width>3</width><height>3</height></size></annotation>");
        Files.writeString(voc.resolve("ImageSets/Main/train.txt"), "7\n");
        Dataset d = DatasetReader.read(voc, null, ReadOptions.strict()).dataset();
        assertEquals(List.of(7L), d.images().stream().map(ImageRecord::id).toList());
        assertEquals(voc, d.source());
    }

    @Test
    void missingPathIsBadInput() {
        Path nope = tmp.resolve("nope");
        BadInputException e = assertThrows(BadInputException.class, () -> DatasetReader.read(nope, null, ReadOptions.strict()));
        assertEquals(nope + ": no such file or directory", e.getMessage());
    }

    @Test
    void directoryWithoutVocLayoutIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class, () -> DatasetReader.read(tmp, null, ReadOptions.strict()));
        assertEquals(tmp + ": not a Pascal VOC directory: no Annotations/ folder", e.getMessage());
    }
}
