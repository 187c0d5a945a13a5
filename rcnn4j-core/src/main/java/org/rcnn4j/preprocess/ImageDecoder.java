package org.rcnn4j.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.rcnn4j.io.BadInputException;

/**
 * Reads image files into 8-bit {@link RgbImage}s, rejecting anything damaged with one clear line.
 *
 * <p>Formats: PNG and JPEG (baseline and progressive) through ImageIO; other formats ImageIO reads
 * (BMP, GIF) are accepted too, without the truncation check below. Every PNG colour type and bit
 * depth becomes 8-bit RGB: gray is replicated, 16-bit samples are rounded to 8 bits, palettes are
 * looked up, and alpha is composited on black (a transparent pixel becomes black, an opaque one keeps
 * its colour). CMYK JPEGs are converted as PIL converts them ({@link RgbConversion}). No colour
 * management is applied and EXIF orientation is ignored, as with the PIL loaders COCO and VOC tools
 * use. The format is read from the bytes, not the file name: a PNG named {@code .jpg} decodes.
 *
 * <p>Damaged files: a PNG must hold complete chunks up to {@code IEND} and a JPEG must reach its
 * end-of-image marker; ImageIO warnings (which it gives instead of failing for many corrupt streams)
 * are errors too. All problems are reported as {@link BadInputException} naming the file.
 *
 * <p>Decompression bombs: an image whose header declares more than {@link #MAX_PIXELS} pixels is
 * refused from its header, before any pixel memory is allocated (a few kilobytes of PNG can declare
 * 100000 x 100000 pixels, 30 GB as RGB).
 */
public final class ImageDecoder {
    /**
     * The most pixels an image may declare: 89,478,485, PIL's {@code Image.MAX_IMAGE_PIXELS}, whose
     * RGB bytes are 256 MiB (a 12,000 x 7,450 photograph fits; detectors resize far below it).
     */
    public static final long MAX_PIXELS = 1024L * 1024 * 1024 / 4 / 3;

    private ImageDecoder() {}

    /**
     * Decodes an image file.
     *
     * @throws BadInputException when the file is missing, unreadable, not an image, truncated or corrupt
     */
    public static RgbImage decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, null, "image file not found");
        } catch (AccessDeniedException e) {
            throw new BadInputException(file, null, "image file cannot be read: permission denied");
        } catch (IOException | OutOfMemoryError e) {
            throw new BadInputException(file, null, "image file cannot be read: " + describe(e), e);
        }
        return decode(bytes, file);
    }

    /**
     * Decodes an image held in memory.
     *
     * @param file the file the bytes came from, for messages; may be null
     * @throws BadInputException when the bytes are not a complete, decodable image
     */
    public static RgbImage decode(byte[] bytes, Path file) {
        if (bytes.length == 0) throw new BadInputException(file, null, "empty file, not an image");
        String problem = null;
        if (ImageFileCheck.isPng(bytes)) problem = ImageFileCheck.pngProblem(bytes);
        else if (ImageFileCheck.isJpeg(bytes)) problem = ImageFileCheck.jpegProblem(bytes);
        if (problem != null) throw new BadInputException(file, null, problem);
        BufferedImage img = read(bytes, file);
        try {
            return RgbConversion.toRgb(img);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, null, e.getMessage(), e);
        }
    }

    /**
     * Converts an image already in memory (any gray, RGB or palette type, with or without alpha) to
     * 8-bit RGB by the same rules as {@link #decode(Path)}.
     *
     * @throws IllegalArgumentException for other colour models (e.g. CMYK)
     */
    public static RgbImage toRgb(BufferedImage image) {
        return RgbConversion.toRgb(image);
    }

    private static BufferedImage read(byte[] bytes, Path file) {
        // A memory-backed stream: ImageIO's default may spill to a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadInputException(file, null, "not an image file (expected PNG or JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                // Read from the header alone: nothing of the pixels is allocated yet.
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new BadInputException(file, null, "declares " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, over the limit of " + MAX_PIXELS + " (a decompression bomb, or an image to tile first)");
                }
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new BadInputException(file, null, "damaged image data: " + warnings.get(0));
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException bad) throw bad;
            // ImageIO's decoders throw assorted runtime exceptions on corrupt data, not only IIOException.
            throw new BadInputException(file, null, "cannot decode image: " + describe(e), e);
        }
    }

    /** The exception's own message, else its cause's, else its type: never an empty description. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return e.getClass().getSimpleName();
    }
}
