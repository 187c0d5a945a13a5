package org.rcnn4j.pretrain;

import java.nio.file.Path;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.PretrainedFc;

/**
 * The outcome of pre-training: the trained backbone and, with the box-head classifier, its fc6 and
 * fc7 (the classifier layer itself is dropped), their description, and the run's wall time.
 *
 * @param backbone the trained backbone; its arrays belong to the manager given to the trainer
 * @param fc       the trained fc6 and fc7, or null when the classifier pooled globally
 * @param info     backbone name, image size, normalisation, classifier, validation accuracy
 * @param seconds  wall time of training and validation
 */
public record PretrainResult(Backbone backbone, PretrainedFc fc, PretrainedInfo info, double seconds) {
    /**
     * Writes the backbone (and fc6, fc7) weights to {@code weightsFile} and the description to its
     * JSON sidecar, both atomically.
     */
    public void save(Path weightsFile) {
        BackboneWeights.save(backbone, fc, weightsFile);
        info.write(weightsFile);
    }
}
