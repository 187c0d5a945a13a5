package org.rcnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.proposals.ProposalSource;
import org.rcnn4j.proposals.ProposalsFileSource;
import org.rcnn4j.proposals.SelectiveSearch;
import org.rcnn4j.proposals.SelectiveSearchSource;

/**
 * The {@code --proposals FILE} rules shared by train, eval and detect: a detector on external
 * proposals (Fast R-CNN) reads them from the file, or runs selective search (fast mode) on each
 * image when none is given; the other detectors refuse a file.
 */
final class ProposalsOption {
    private ProposalsOption() {}

    /**
     * Checks {@code --proposals} (or {@code option}) against a detector kind.
     *
     * @throws UsageException when a file is given to a detector that makes its own proposals
     */
    static void check(String detector, boolean takesProposals, Path file, String option) {
        if (!takesProposals && file != null) {
            throw new UsageException(option + ": " + detector + " makes its own region proposals; it takes no proposals file");
        }
    }

    /**
     * The proposals of {@code images} for a detector that takes them: those of {@code file}, or
     * selective search on the fly (fast mode, {@link SelectiveSearchSource#ON_THE_FLY_MAX} boxes, seed 0) without one.
     */
    static ProposalSource source(Path file, Dataset images) throws IOException {
        return file != null ? ProposalsFileSource.read(file, images)
                : new SelectiveSearchSource(SelectiveSearch.Mode.FAST, SelectiveSearchSource.ON_THE_FLY_MAX, 0);
    }

    /** Gives a loaded detector the proposals of {@code file} for {@code images}, when it takes proposals. */
    static void apply(Detector detector, Path file, Dataset images) throws IOException {
        check(detector.description().detector(), detector.takesProposals(), file, "--proposals");
        if (detector.takesProposals()) detector.useProposals(source(file, images));
    }
}
