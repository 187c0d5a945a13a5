package org.rcnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.io.BadInputException;

class ProposalsFileTest {
    @TempDir Path tmp;

    static final Dataset DATA = new Dataset(null, List.of(), List.of(new Category(1, "a")), List.of(
            new ImageRecord(5, "000005", "000005.jpg", 100, 80, List.of()),
            new ImageRecord(9, "street", "street.jpg", 64, 64, List.of()),
            new ImageRecord(12, "000012", "000012.jpg", 50, 50, List.of())));

    @Test
    void roundTripKeepsEveryFloatAndTheOrder() throws Exception {
        Map<Long, Proposals> in = new LinkedHashMap<>();
        in.put(9L, new Proposals(new float[] {0.5f, 1.25f, 30.1f, 40.7f, 3, 4, 3, 4}, new float[] {0.9f, -2.5f}));
        in.put(5L, new Proposals(new float[] {1e-7f, 0, 99.99999f, 79.5f}, new float[] {1.0f / 3}));
        in.put(12L, new Proposals(new float[0], new float[0]));
        Path file = tmp.resolve("sub/proposals.json");
        ProposalsFile.write(in, file);
        Map<Long, Proposals> out = ProposalsFile.read(file, DATA);
        assertEquals(List.of(9L, 5L, 12L), List.copyOf(out.keySet()));
        for (long id : in.keySet()) {
            assertArrayEquals(in.get(id).boxes(), out.get(id).boxes(), "image " + id);
            assertArrayEquals(in.get(id).scores(), out.get(id).scores(), "image " + id);
        }
        try (var files = Files.list(tmp.resolve("sub"))) {
            assertEquals(1, files.count(), "no temporary file is left beside it");
        }
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\"images\":["), text);
        assertEquals(5, text.lines().count(), "one image per line:\n" + text);
    }

    @Test
    void scoresAreSortedDescendingAndStringIdsResolveByName() throws Exception {
        Path file = write("""
                {"note": "extra fields are skipped", "images": [
                 {"image_id": "street", "scores": [0.1, 0.7, 0.1, 0.9], "extra": [1, {"a": 2}],
                  "boxes": [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5], [6, 6, 7, 7]]},
                 {"image_id": "12", "boxes": [], "scores": []}]}
                """);
        Map<Long, Proposals> out = ProposalsFile.read(file, DATA);
        assertEquals(List.of(9L, 12L), List.copyOf(out.keySet()));
        assertArrayEquals(new float[] {0.9f, 0.7f, 0.1f, 0.1f}, out.get(9L).scores());
        // Ties keep the file's order: [0,0,1,1] before [4,4,5,5].
        assertArrayEquals(new float[] {6, 6, 7, 7, 2, 2, 3, 3, 0, 0, 1, 1, 4, 4, 5, 5}, out.get(9L).boxes());
        assertEquals(0, out.get(12L).size());
        assertFalse(out.containsKey(5L), "images the file does not list have no entry");
    }

    @Test
    void eachMalformedEntryNamesTheFileTheEntryAndTheField() throws Exception {
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, NaN, 4]], \"scores\": [1]}]}",
                "images[0].boxes[0][2]", "not a finite number");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 1e999, 4]], \"scores\": [1]}]}",
                "images[0].boxes[0][2]", "not a finite number");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 4, 4]], \"scores\": [Infinity]}]}",
                "images[0].scores[0]", "not a finite number");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 4, 4], [10, 0, 9, 4]], \"scores\": [1, 1]}]}",
                "images[0].boxes[1]", "x2 < x1");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 5, 4, 4]], \"scores\": [1]}]}",
                "images[0].boxes[0]", "y2 < y1");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 4, 4], [0, 0, 2, 2]], \"scores\": [1]}]}",
                "images[0]", "2 boxes but 1 scores");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [], \"scores\": []},\n{\"image_id\": 77, \"boxes\": [], \"scores\": []}]}",
                "images[1].image_id (line 2)", "unknown image id 77");
        bad("{\"images\": [{\"image_id\": \"nope\", \"boxes\": [], \"scores\": []}]}", "images[0].image_id", "unknown image id nope");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 4]], \"scores\": [1]}]}", "images[0].boxes[0]", "3 numbers");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 4, \"4\"]], \"scores\": [1]}]}", "images[0].boxes[0][3]", "not a number");
        bad("{\"images\": [{\"image_id\": 5, \"scores\": []}]}", "images[0]", "missing field boxes");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [], \"scores\": []}, {\"image_id\": \"000005\", \"boxes\": [], \"scores\": []}]}",
                "images[1]", "listed twice");
        bad("{\"boxes\": []}", "images", "missing");
        bad("{\"images\": [{\"image_id\": 5, \"boxes\": [[0, 0, 1, 1]]", "line 1", "malformed JSON");
        bad("[]", null, "expected a JSON object");
        BadInputException e = assertThrows(BadInputException.class, () -> ProposalsFile.read(tmp.resolve("none.json"), DATA));
        assertTrue(e.getMessage().contains("none.json"), e.getMessage());
    }

    @Test
    void writingANonFiniteNumberIsRefused() {
        Map<Long, Proposals> in = Map.of(5L, new Proposals(new float[] {0, 0, Float.NaN, 1}, new float[] {1}));
        Path file = tmp.resolve("p.json");
        assertThrows(IllegalArgumentException.class, () -> ProposalsFile.write(in, file));
        assertFalse(Files.exists(file));
    }

    private Path write(String json) throws Exception {
        Path file = tmp.resolve("proposals.json");
        Files.writeString(file, json);
        return file;
    }

    private void bad(String json, String where, String what) throws Exception {
        Path file = write(json);
        BadInputException e = assertThrows(BadInputException.class, () -> ProposalsFile.read(file, DATA), json);
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        if (where != null) assertTrue(e.where() != null && e.where().startsWith(where), where + " in: " + e.getMessage());
        assertTrue(e.what().contains(what), what + " in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
