package org.rcnn4j.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Test-only loader of the small VOC directories under {@code evaluation/voc/<case>}: just enough
 * of the XML (name, difficult, bndbox) to build the ground truth, with VOC's box conversion
 * {@code x1 = xmin - 1, x2 = xmax}. Image ids are running numbers 1..N, names the file stems.
 */
final class VocFixtures {
    private VocFixtures() {}

    static Path root() throws Exception {
        return Path.of(VocFixtures.class.getResource("/evaluation/voc").toURI());
    }

    static Dataset load(Path caseDir, List<String> classes) throws Exception {
        List<Category> categories = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) categories.add(new Category(k + 1, classes.get(k)));
        List<ImageRecord> images = new ArrayList<>();
        long annId = 1;
        for (String name : Files.readAllLines(caseDir.resolve("ImageSets/Main/test.txt"))) {
            if (name.isBlank()) continue;
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(caseDir.resolve("Annotations/" + name + ".xml").toFile());
            List<Annotation> anns = new ArrayList<>();
            NodeList objects = doc.getElementsByTagName("object");
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                int cat = classes.indexOf(text(o, "name")) + 1;
                float x1 = Integer.parseInt(text(o, "xmin")) - 1;
                float y1 = Integer.parseInt(text(o, "ymin")) - 1;
                float x2 = Integer.parseInt(text(o, "xmax"));
                float y2 = Integer.parseInt(text(o, "ymax"));
                boolean difficult = text(o, "difficult").equals("1");
                anns.add(new Annotation(annId++, cat, x1, y1, x2, y2, (double) (x2 - x1) * (y2 - y1), difficult, false));
            }
            int w = Integer.parseInt(text(doc.getDocumentElement(), "width"));
            int h = Integer.parseInt(text(doc.getDocumentElement(), "height"));
            images.add(new ImageRecord(images.size() + 1, name, "JPEGImages/" + name + ".jpg", w, h, anns));
        }
        return new Dataset(caseDir, List.of(caseDir), categories, images);
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
