package org.rcnn4j.pretrain;

import java.nio.file.Path;
import org.rcnn4j.modeling.backbone.Backbone;

/**
 * The outcome of pre-training: the trained backbone (the classification head is dropped), its
 * description, and the run's wall time.
 *
 * @param backbone the trained backbone; its arrays belong to the manager given to the trainer
 * @param info     backbone name, image size, normalisation, validation accuracy
 * @param seconds  wall time of training and validation
 */
public record PretrainResult(Backbone backbone, PretrainedInfo info, double seconds) {
    /** Writes the backbone weights to {@code weightsFile} and the description to its JSON sidecar, both atomically. */
    public void save(Path weightsFile) {
        backbone.save(weightsFile);
        info.write(weightsFile);
    }
}
