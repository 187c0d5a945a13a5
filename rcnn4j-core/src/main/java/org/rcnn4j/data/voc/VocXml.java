package org.rcnn4j.data.voc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.rcnn4j.io.BadInputException;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads one VOC annotation XML file into its text fields, each with the line it starts on, with a
 * SAX parser (the line numbers come from its {@link Locator}). Fields are keyed by their element
 * path below the root ({@code size/width}) or, inside an {@code <object>}, below the object
 * ({@code bndbox/xmax}); the first occurrence of a path wins. DOCTYPEs are refused, so a file
 * cannot make the parser fetch anything.
 */
final class VocXml {
    /** An element's text, trimmed, and the line its start tag is on. */
    record Field(String text, int line) {}

    /** One {@code <object>}: the line its start tag is on and its fields. */
    record RawObject(int line, Map<String, Field> fields) {}

    /** A whole file: the fields outside objects, and the objects in file order. */
    record Parsed(Map<String, Field> fields, List<RawObject> objects) {}

    private final SAXParser parser;

    VocXml() {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            parser = factory.newSAXParser();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser cannot be configured", e);
        }
    }

    /**
     * Parses {@code xml}.
     *
     * @throws BadInputException when the file is not well-formed XML, naming the line
     */
    Parsed parse(Path xml) {
        Handler handler = new Handler();
        try (InputStream in = Files.newInputStream(xml)) {
            parser.reset();
            parser.parse(in, handler);
        } catch (SAXParseException e) {
            throw new BadInputException(xml, "line " + e.getLineNumber(), "malformed XML: " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new BadInputException(xml, null, "malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + xml, e);
        }
        return new Parsed(handler.fields, handler.objects);
    }

    private static final class Handler extends DefaultHandler {
        final Map<String, Field> fields = new HashMap<>();
        final List<RawObject> objects = new ArrayList<>();
        private final List<String> path = new ArrayList<>();
        private final List<Integer> lines = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private Locator locator;
        private RawObject object;

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            path.add(qName);
            lines.add(locator == null ? -1 : locator.getLineNumber());
            text.setLength(0);
            if (path.size() == 2 && qName.equals("object")) {
                object = new RawObject(lines.get(1), new HashMap<>());
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            int depth = path.size();
            if (object != null && depth == 2) {
                objects.add(object);
                object = null;
            } else if (object != null) {
                object.fields().putIfAbsent(key(2), new Field(text.toString().trim(), lines.get(depth - 1)));
            } else if (depth > 1) {
                fields.putIfAbsent(key(1), new Field(text.toString().trim(), lines.get(depth - 1)));
            }
            path.remove(depth - 1);
            lines.remove(depth - 1);
            text.setLength(0);
        }

        private String key(int from) {
            return String.join("/", path.subList(from, path.size()));
        }
    }
}
