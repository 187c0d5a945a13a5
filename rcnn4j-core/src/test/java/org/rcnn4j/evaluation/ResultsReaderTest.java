package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;

class ResultsReaderTest {
    @TempDir
    Path tmp;

    /** Classes cat (7), dog_big (3), big (4); images 5 "000005", 9 "img_x", 12 "000012". */
    static Dataset dataset() {
        return new Dataset(null, List.of(),
                List.of(new Category(7, "cat"), new Category(3, "dog_big"), new Category(4, "big")),
                List.of(new ImageRecord(5, "000005", "000005.jpg", 50, 50, List.of()),
                        new ImageRecord(9, "img_x", "img_x.jpg", 50, 50, List.of()),
                        new ImageRecord(12, "000012", "000012.jpg", 50, 50, List.of())));
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsCocoJson() throws IOException {
        Path f = write("dt.json", """
                [{"image_id": 5, "category_id": 7, "bbox": [1.5, 2, 10, 20.25], "score": 0.9,
                  "segmentation": [[1, 2, 3]], "extra": {"a": [1, {"b": null}]}},
                 {"score": 0.25, "bbox": [-3, 40, 0, 15], "category_id": 3, "image_id": "img_x"},
                 {"image_id": "000012", "category_id": 4, "bbox": [0, 0, 1e1, 1], "score": 2}]
                """);
        List<Detection> dets = ResultsReader.read(f, dataset());
        assertEquals(List.of(
                new Detection(5, 7, 1.5f, 2f, 11.5f, 22.25f, 0.9f),
                new Detection(9, 3, -3f, 40f, -3f, 55f, 0.25f),
                new Detection(12, 4, 0f, 0f, 10f, 1f, 2f)), dets);
        assertEquals(List.of(), ResultsReader.read(write("empty.json", "[]"), dataset()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1, 1]}            | [1] (line 2) | missing field score",
        "{'image_id': 5, 'category_id': 7, 'score': 1}                      | [1] (line 2) | missing field bbox",
        "{'category_id': 7, 'bbox': [0, 0, 1, 1], 'score': 1}               | [1] (line 2) | missing field image_id",
        "{'image_id': 5, 'bbox': [0, 0, 1, 1], 'score': 1}                  | [1] (line 2) | missing field category_id",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1, 1], 'score': NaN}      | [1].score     | not a finite number",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, Infinity, 1], 'score': 1} | [1].bbox[2]   | not a finite number",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1e300, 1], 'score': 1}    | [1].bbox[2]   | not a finite number",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, -1, 1], 'score': 1}       | [1].bbox      | negative width",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1, -0.5], 'score': 1}     | [1].bbox      | negative height",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1], 'score': 1}           | [1].bbox      | 3 numbers",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1, 1, 1], 'score': 1}     | [1].bbox      | more than 4",
        "{'image_id': 5, 'category_id': 7, 'bbox': [0, 0, 1, 1], 'score': '0.5'}    | [1].score     | not a number",
        "{'image_id': 99, 'category_id': 7, 'bbox': [0, 0, 1, 1], 'score': 1}       | [1].image_id  | unknown image id 99",
        "{'image_id': 'nope', 'category_id': 7, 'bbox': [0, 0, 1, 1], 'score': 1}   | [1].image_id  | unknown image id nope",
        "{'image_id': 5.5, 'category_id': 7, 'bbox': [0, 0, 1, 1], 'score': 1}      | [1].image_id  | not an integer or string",
        "{'image_id': 5, 'category_id': 8, 'bbox': [0, 0, 1, 1], 'score': 1}        | [1].category_id | unknown category id 8",
        "{'image_id': 5, 'category_id': '7', 'bbox': [0, 0, 1, 1], 'score': 1}      | [1].category_id | not an integer",
        "[1, 2]                                                             | [1] (line 2) | expected an object",
        "{'image_id': 5,                                                    | line         | malformed JSON",
    })
    void cocoErrorsNameTheEntryAndField(String entry, String where, String what) throws IOException {
        Path f = write("bad.json", "[{\"image_id\": 5, \"category_id\": 7, \"bbox\": [0, 0, 1, 1], \"score\": 1},\n"
                + entry.replace('\'', '"') + "]");
        BadInputException e = assertThrows(BadInputException.class, () -> ResultsReader.read(f, dataset()));
        assertEquals(f.toString(), e.file());
        assertTrue(e.where().startsWith(where), e.getMessage());
        assertTrue(e.what().contains(what), e.getMessage());
    }

    @Test
    void cocoFileMustBeAnArray() throws IOException {
        Path f = write("obj.json", "{\"annotations\": []}");
        BadInputException e = assertThrows(BadInputException.class, () -> ResultsReader.read(f, dataset()));
        assertTrue(e.what().contains("array"), e.getMessage());
        Path missing = tmp.resolve("missing.json");
        assertThrows(BadInputException.class, () -> ResultsReader.read(missing, dataset()));
    }

    @Test
    void readsVocDirectory() throws IOException {
        write("res/comp4_det_test_dog_big.txt", "img_x 0.5 10.5 0.5 20 30.5\n");
        write("res/comp4_det_test_cat.txt", "000005 0.9 1 2 10 20\n\n000012 0.125 5 5 4 30\n");
        write("res/README.txt", "not results");
        write("res/notes_det_x.md", "not results either");
        List<Detection> dets = ResultsReader.read(tmp.resolve("res"), dataset());
        // class order (cat, dog_big), then line order; x1 = xmin - 1, x2 = xmax; zero width allowed
        assertEquals(List.of(
                new Detection(5, 7, 0f, 1f, 10f, 20f, 0.9f),
                new Detection(12, 7, 4f, 4f, 4f, 30f, 0.125f),
                new Detection(9, 3, 9.5f, -0.5f, 20f, 30.5f, 0.5f)), dets);
        // one file on its own
        assertEquals(dets.subList(2, 3), ResultsReader.read(tmp.resolve("res/comp4_det_test_dog_big.txt"), dataset()));
    }

    @Test
    void vocSplitIsInferredOrChosen() throws IOException {
        write("res/comp4_1a2b_det_val_cat.txt", "000005 0.9 1 2 10 20\n");
        assertEquals(1, ResultsReader.read(tmp.resolve("res"), dataset()).size());
        write("res/comp4_det_train_val_big.txt", "000005 0.8 1 2 10 20\n000005 0.7 1 2 10 20\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ResultsReader.read(tmp.resolve("res"), dataset()));
        assertTrue(e.what().contains("several splits [train_val, val]"), e.getMessage());
        assertEquals(1, ResultsReader.read(tmp.resolve("res"), dataset(), "val").size());
        List<Detection> tv = ResultsReader.read(tmp.resolve("res"), dataset(), "train_val");
        assertEquals(2, tv.size());
        assertEquals(4, tv.get(0).categoryId());
        e = assertThrows(BadInputException.class, () -> ResultsReader.read(tmp.resolve("res"), dataset(), "test"));
        assertTrue(e.what().contains("no results files"), e.getMessage());
    }

    @Test
    void vocUnknownClassOrDuplicateFile() throws IOException {
        Path horse = write("a/comp4_det_test_horse.txt", "000005 0.9 1 2 10 20\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ResultsReader.read(tmp.resolve("a"), dataset()));
        assertEquals(horse.toString(), e.file());
        assertTrue(e.what().contains("unknown class name"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ResultsReader.read(tmp.resolve("a"), dataset(), "test"));
        assertTrue(e.what().contains("unknown class name 'horse'"), e.getMessage());

        write("b/comp3_det_test_cat.txt", "");
        write("b/comp4_det_test_cat.txt", "");
        e = assertThrows(BadInputException.class, () -> ResultsReader.read(tmp.resolve("b"), dataset()));
        assertTrue(e.what().contains("two results files for class cat"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "000005 0.9 1 2 10         | expected 6 fields",
        "000005 0.9 1 2 10 20 7    | expected 6 fields",
        "000005 abc 1 2 10 20      | score: not a number 'abc'",
        "000005 0.9 1 2 NaN 20     | xmax: not a finite number",
        "000005 0.9 1 -Infinity 10 20 | ymin: not a finite number",
        "000005 0.9 10 2 8 20      | negative width",
        "000005 0.9 1 10 10 8.5    | negative height",
        "nope 0.9 1 2 3 4          | unknown image id nope",
    })
    void vocErrorsNameTheLineAndField(String line, String what) throws IOException {
        Path f = write("res/comp4_det_test_cat.txt", "000005 0.9 1 2 10 20\n\n" + line + "\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ResultsReader.read(tmp.resolve("res"), dataset()));
        assertEquals(f.toString(), e.file());
        assertEquals("line 3", e.where());
        assertTrue(e.what().contains(what), e.getMessage());
    }
}
