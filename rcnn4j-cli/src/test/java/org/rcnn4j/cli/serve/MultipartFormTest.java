package org.rcnn4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The file of a {@code multipart/form-data} body, on hand-written bodies: what a browser and curl
 * send, a quoted boundary, a file whose bytes contain the boundary's text without the line break
 * before it, and malformed bodies, each a 400 naming what is wrong.
 */
class MultipartFormTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsTheOneFileAmongFields() {
        byte[] body = bytes("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a;b.png\"\r\nContent-Type: image/png\r\n\r\n"
                + "\u0089PNG\r\n--XyZnot-a-boundary\r\n"
                + "--XyZ--\r\n");
        MultipartForm.FilePart part = MultipartForm.onlyFile("multipart/form-data; boundary=\"XyZ\"", body);
        assertEquals("image", part.field());
        assertEquals("a;b.png", part.fileName(), "a semicolon inside the quotes belongs to the name");
        assertArrayEquals(bytes("\u0089PNG\r\n--XyZnot-a-boundary"), part.content(), "the content ends at CRLF + delimiter");
    }

    @Test
    void recognisesTheFormContentType() {
        assertTrue(MultipartForm.isForm("Multipart/Form-Data; boundary=x"));
        assertFalse(MultipartForm.isForm("image/png"));
        assertFalse(MultipartForm.isForm(null));
    }

    @Test
    void malformedBodiesAre400s() {
        String type = "multipart/form-data; boundary=XyZ";
        String file = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n\r\nDATA\r\n";
        assertError(400, "no part starts with its boundary", () -> MultipartForm.onlyFile(type, bytes("DATA")));
        assertError(400, "ends inside a part", () -> MultipartForm.onlyFile(type, bytes("--XyZ\r\nContent-Disposition: form-data; "
                + "name=\"f\"; filename=\"x.png\"\r\n\r\nDATA")));
        assertError(400, "headers do not end", () -> MultipartForm.onlyFile(type, bytes("--XyZ\r\nContent-Disposition: form-data")));
        assertError(400, "2 file parts", () -> MultipartForm.onlyFile(type, bytes(file + file + "--XyZ--\r\n")));
        assertError(400, "without a boundary", () -> MultipartForm.onlyFile("multipart/form-data", bytes(file)));
        assertError(400, "1 to 70 characters", () -> MultipartForm.onlyFile("multipart/form-data; boundary=" + "b".repeat(71), bytes(file)));
    }

    private static void assertError(int status, String part, org.junit.jupiter.api.function.Executable call) {
        HttpError e = assertThrows(HttpError.class, call);
        assertEquals(status, e.status());
        assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
}
