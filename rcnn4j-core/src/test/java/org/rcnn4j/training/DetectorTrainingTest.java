package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.detector.FastRcnn;
import org.rcnn4j.detector.FastRcnnConfig;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.preprocess.LoaderConfig;
import org.rcnn4j.proposals.ProposalSource;

/** How a training run is set up from a detector's config. */
class DetectorTrainingTest {
    @Test
    void aPyramidConfigTrainsOnARandomScalePerImageFromItsScales() {
        LoaderConfig c = DetectorTraining.loaderConfig(FastRcnnConfig.paperPyramid("tiny", 3), TrainingConfig.defaults(10, 1));
        assertArrayEquals(new int[] {480, 576, 688, 864, 1200}, c.scales());
        assertEquals(2000, c.maxSize());
        LoaderConfig single = DetectorTraining.loaderConfig(FastRcnnConfig.paper("tiny", 3), TrainingConfig.defaults(10, 1));
        assertArrayEquals(new int[] {600}, single.scales());
        assertEquals(1000, single.maxSize());
    }

    @Test
    void proposalsGoToDetectorsThatTakeThemOnly() {
        ProposalSource none = (r, px) -> new Proposals(new float[0], new float[0]);
        try (FastRcnn fast = FastRcnn.create(FastRcnnConfig.small("tiny", 2, 64), 1, null);
                FasterRcnn faster = FasterRcnn.create(FasterRcnnConfig.small("tiny", 2, 64, new float[] {16}), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DetectorTraining.useProposals(fast, null, "training"));
            assertTrue(e.getMessage().contains("needs region proposals"), e.getMessage());
            DetectorTraining.useProposals(fast, none, "training");
            assertEquals(none, fast.proposalSource().orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> DetectorTraining.useProposals(faster, none, "training"));
            DetectorTraining.useProposals(faster, null, "training");
        }
    }
}
