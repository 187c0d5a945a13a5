package org.rcnn4j.detector;

import java.util.Optional;
import org.rcnn4j.proposals.ProposalSource;

/**
 * A detector whose region proposals come from outside the network (R-CNN, SPP-net, Fast R-CNN),
 * unlike Faster R-CNN's RPN. The source is a run-time input, not part of the model directory: set it
 * before training or detecting, and again to detect on other images (e.g. the validation set's
 * proposals after training).
 */
public interface ExternalProposals {
    /** From now on, proposals come from {@code source}. */
    void useProposals(ProposalSource source);

    /** The source in use, if one was set. */
    Optional<ProposalSource> proposalSource();
}
