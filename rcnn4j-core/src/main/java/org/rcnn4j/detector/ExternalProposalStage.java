package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * Proposals from outside the network (R-CNN §2.1, SPP-net, Fast R-CNN): a {@link ProposalSource}
 * set at run time (a proposals file, or selective search run on each image), the best
 * {@code maxProposals} of each image kept. Not part of the model directory: set it before training
 * or detecting, and again to detect on other images.
 */
final class ExternalProposalStage implements ProposalStage, ExternalProposals {
    private final int maxProposals;
    private volatile ProposalSource source;

    /** @param maxProposals the best this many proposals of an image are used (2000) */
    ExternalProposalStage(int maxProposals) {
        this.maxProposals = maxProposals;
    }

    @Override
    public void useProposals(ProposalSource proposals) {
        this.source = proposals;
    }

    @Override
    public Optional<ProposalSource> proposalSource() {
        return Optional.ofNullable(source);
    }

    @Override
    public Map<String, Block> blocks() {
        return Map.of();
    }

    @Override
    public boolean readsFeatures() {
        return false;
    }

    @Override
    public Proposed forTraining(ParameterStore ps, List<NDArray> maps, List<BatchImage> images, RandomGenerator random) {
        return new Proposed(inputProposals(images), LossTerms.none());
    }

    @Override
    public List<Proposals> forTest(ParameterStore ps, List<NDArray> maps, List<BatchImage> images, StageTimes times) {
        List<Proposals> p = inputProposals(images);
        times.lap("proposals");
        return p;
    }

    /** The source's best {@code maxProposals} for a decoded image, clipped to it, in original pixels. */
    Proposals original(RgbImage image, ImageRecord record) {
        Proposals p = ProposalSource.best(requireSource().proposals(record, () -> image), maxProposals);
        return new Proposals(Boxes.clip(p.boxes().clone(), image.width(), image.height()), p.scores());
    }

    /** Each image's proposals (the best {@code maxProposals}), in its input frame. */
    private List<Proposals> inputProposals(List<BatchImage> images) {
        ProposalSource s = requireSource();
        List<Proposals> out = new ArrayList<>(images.size());
        for (BatchImage m : images) out.add(s.proposalsFor(m, decoder(m), maxProposals));
        return out;
    }

    private static Supplier<RgbImage> decoder(BatchImage m) {
        return () -> {
            if (m.file() == null) {
                throw new IllegalStateException("image " + m.record().id() + " has no file to decode for its proposals");
            }
            return ImageDecoder.decode(m.file());
        };
    }

    private ProposalSource requireSource() {
        ProposalSource s = source;
        if (s == null) {
            throw new IllegalStateException("this detector works on given region proposals, and none were given "
                    + "(a proposals file, or a proposal method: useProposals)");
        }
        return s;
    }
}
