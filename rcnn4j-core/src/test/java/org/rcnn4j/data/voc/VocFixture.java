package org.rcnn4j.data.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds small VOC directories for tests. */
final class VocFixture {
    private final Path dir;

    VocFixture(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("Annotations"));
        Files.createDirectories(dir.resolve("ImageSets").resolve("Main"));
    }

    Path dir() {
        return dir;
    }

    Path xmlFile(String stem) {
        return dir.resolve("Annotations").resolve(stem + ".xml");
    }

    VocFixture xml(String stem, String content) throws IOException {
        Files.writeString(xmlFile(stem), content);
        return this;
    }

    /** A well-formed annotation of a {@code width x height} image with the given {@code <object>} elements. */
    VocFixture image(String stem, int width, int height, String... objects) throws IOException {
        StringBuilder sb = new StringBuilder("<annotation>\n  <folder>VOC2007</folder>\n  <filename>" + stem
                + ".jpg</filename>\n  <size>\n    <width>" + width + "</width>\n    <height>" + height
                + "</height>\n    <depth>3</depth>\n  </size>\n");
        for (String o : objects) sb.append(o);
        return xml(stem, sb.append("</annotation>\n").toString());
    }

    Path splitFile(String split) {
        return dir.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
    }

    VocFixture split(String split, String... lines) throws IOException {
        Files.writeString(splitFile(split), String.join("\n", lines) + "\n");
        return this;
    }

    /** An {@code <object>} element, 4 lines of XML per box line as VOC writes it. */
    static String object(String name, int difficult, int xmin, int ymin, int xmax, int ymax) {
        return "  <object>\n    <name>" + name + "</name>\n    <pose>Left</pose>\n    <truncated>1</truncated>\n"
                + "    <difficult>" + difficult + "</difficult>\n    <bndbox>\n      <xmin>" + xmin + "</xmin>\n"
                + "      <ymin>" + ymin + "</ymin>\n      <xmax>" + xmax + "</xmax>\n      <ymax>" + ymax
                + "</ymax>\n    </bndbox>\n  </object>\n";
    }
}
