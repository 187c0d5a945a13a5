package org.rcnn4j.data.synth;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One generated image and its objects, bottom to top in drawing order.
 *
 * @param image   the picture, {@link BufferedImage#TYPE_INT_RGB}, side {@link SynthSpec#size()}
 * @param objects the objects that were placed (a proposed object that could not be placed under
 *                the generator's occlusion rules is dropped), later ones drawn over earlier ones
 */
public record Scene(BufferedImage image, List<SceneObject> objects) {
    public Scene {
        objects = List.copyOf(objects);
    }
}
