package org.rcnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.proposals.ProposalsFileSource;

/**
 * The {@code --proposals FILE} rules shared by train, eval and detect: a detector on external
 * proposals (Fast R-CNN) needs the file, the others refuse one.
 */
final class ProposalsOption {
    private ProposalsOption() {}

    /**
     * Checks {@code --proposals} (or {@code option}) against a detector kind.
     *
     * @throws UsageException when the detector needs proposals and none are given, or the reverse
     */
    static void check(String detector, boolean takesProposals, Path file, String option) {
        if (takesProposals && file == null) {
            throw new UsageException(detector + " detects on given region proposals: pass " + option
                    + " FILE, a proposals file ({\"images\": [{\"image_id\", \"boxes\", \"scores\"}]}, e.g. from 'rcnn4j proposals')");
        }
        if (!takesProposals && file != null) {
            throw new UsageException(option + ": " + detector + " makes its own region proposals; it takes no proposals file");
        }
    }

    /** Gives a loaded detector the proposals of {@code file} for {@code images}, when it takes proposals. */
    static void apply(Detector detector, Path file, Dataset images) throws IOException {
        check(detector.description().detector(), detector.takesProposals(), file, "--proposals");
        if (file != null) detector.useProposals(ProposalsFileSource.read(file, images));
    }
}
