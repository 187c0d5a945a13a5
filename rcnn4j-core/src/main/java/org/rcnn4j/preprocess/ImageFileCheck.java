package org.rcnn4j.preprocess;

/**
 * Structural completeness checks for PNG and JPEG bytes, run before decoding.
 *
 * <p>Why: ImageIO decodes many truncated files "successfully" — a cut JPEG comes back with its
 * missing rows filled gray and only a warning, and a PNG cut inside its last chunk may lose rows
 * silently. Training on such pictures teaches the detector gray boxes, so rcnn4j rejects them.
 * Both checks walk the container's framing only (chunk lengths, marker segments); they read each
 * byte at most once and never decompress.
 */
final class ImageFileCheck {
    private ImageFileCheck() {}

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static boolean isPng(byte[] b) {
        if (b.length < PNG_SIGNATURE.length) return false;
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (b[i] != PNG_SIGNATURE[i]) return false;
        }
        return true;
    }

    static boolean isJpeg(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    /**
     * Walks the PNG chunk list (4-byte length, 4-byte type, data, 4-byte CRC) up to {@code IEND}.
     *
     * @return null when every chunk is complete and {@code IEND} is reached, else what is wrong
     */
    static String pngProblem(byte[] b) {
        int pos = PNG_SIGNATURE.length;
        boolean first = true;
        while (true) {
            if (pos + 8 > b.length) return "truncated PNG: file ends before the IEND chunk";
            long len = readInt(b, pos) & 0xFFFFFFFFL;
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (first && !type.equals("IHDR")) return "corrupt PNG: first chunk is not IHDR";
            first = false;
            long end = pos + 12L + len;
            if (end > b.length) return "truncated PNG: chunk " + type + " is cut short";
            if (type.equals("IEND")) return null;
            pos = (int) end;
        }
    }

    /**
     * Walks the JPEG marker segments from SOI to EOI, skipping entropy-coded data after each SOS
     * (where {@code FF 00} is a stuffed byte and {@code FF D0..D7} are restart markers).
     *
     * @return null when the EOI marker is reached, else what is wrong
     */
    static String jpegProblem(byte[] b) {
        int n = b.length;
        int pos = 2;
        while (true) {
            // libjpeg tolerates stray bytes before a marker ("extraneous bytes"); so does this check.
            while (pos < n && (b[pos] & 0xFF) != 0xFF) pos++;
            while (pos + 1 < n && (b[pos + 1] & 0xFF) == 0xFF) pos++; // fill bytes
            if (pos + 1 >= n) return "truncated JPEG: no end-of-image (EOI) marker";
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xD9) return null;
            if (marker == 0x01 || marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // standalone markers carry no length
                continue;
            }
            if (pos + 4 > n) return "truncated JPEG: no end-of-image (EOI) marker";
            int len = (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
            if (len < 2) return "corrupt JPEG: marker segment with length " + len;
            long end = pos + 2L + len;
            if (end > n) return "truncated JPEG: a marker segment is cut short";
            pos = (int) end;
            if (marker == 0xDA) {
                pos = skipEntropyCodedData(b, pos);
                if (pos < 0) return "truncated JPEG: image data ends without the end-of-image (EOI) marker";
            }
        }
    }

    /** Index of the first real marker after entropy-coded data starting at {@code pos}, or -1 at end of data. */
    private static int skipEntropyCodedData(byte[] b, int pos) {
        int n = b.length;
        while (pos + 1 < n) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int next = b[pos + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2;
            } else if (next == 0xFF) {
                pos++;
            } else {
                return pos;
            }
        }
        return -1;
    }

    private static int readInt(byte[] b, int pos) {
        return (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
    }
}
