package org.rcnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.pretrain.PretrainedInfo;

/**
 * {@code train --backbone-weights FILE}: which backbone FILE holds, checked against what the
 * command line asks for before any data is read, so that a mismatch costs a second, not a run.
 */
final class PretrainedBackbone {
    private PretrainedBackbone() {}

    /**
     * The backbone stored in {@code weights} (its header, and its JSON sidecar when there is one).
     *
     * @param requested the {@code --backbone} option, or null when not given
     * @param config    the {@code --config} model, or null
     * @throws BadInputException naming the file when it is missing or not a backbone weights file, or
     *                           holds another backbone than {@code requested} or {@code config} uses
     */
    static String check(Path weights, String requested, DetectorConfig config) {
        String stored = BackboneWeights.readName(weights);
        if (Files.isRegularFile(PretrainedInfo.sidecarOf(weights))) {
            String described = PretrainedInfo.read(weights).backbone();
            if (!described.equals(stored)) {
                throw new BadInputException(PretrainedInfo.sidecarOf(weights), "backbone",
                        "says '" + described + "' but " + weights.getFileName() + " holds '" + stored + "' weights");
            }
        }
        if (requested != null && !requested.equals(stored)) {
            throw new BadInputException(weights, "backbone", "holds '" + stored + "' weights, but --backbone is '" + requested + "'");
        }
        if (config != null && !config.backbone().equals(stored)) {
            throw new BadInputException(weights, "backbone",
                    "holds '" + stored + "' weights, but the --config model uses '" + config.backbone() + "'");
        }
        return stored;
    }
}
