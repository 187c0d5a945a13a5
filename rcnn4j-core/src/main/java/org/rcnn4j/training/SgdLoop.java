package org.rcnn4j.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rcnn4j.modeling.losses.LossTerms;

/**
 * The one SGD loop of rcnn4j, shared by detector training ({@link DetectorTrainer}) and backbone
 * pre-training ({@code org.rcnn4j.pretrain.BackbonePretrainer}). Per iteration: gradients zeroed,
 * one sub-manager and one gradient collector, the objective's named loss terms, a NaN/Inf check
 * before any weight changes, back-propagation of their sum, {@link Sgd} at the schedule's rate,
 * progress, and a checkpoint every N iterations when the run keeps them. The sub-manager is closed
 * at the end of each iteration, so a long run holds no more native memory than one iteration.
 */
public final class SgdLoop {
    /** What iteration {@code iteration} minimises, with autograd recording. */
    @FunctionalInterface
    public interface Objective {
        /**
         * @param sub the iteration's manager, closed after the update: the batch's arrays live in it
         */
        Loss loss(ParameterStore ps, NDManager sub, long iteration);
    }

    /**
     * @param terms  the named loss terms; their sum is back-propagated
     * @param images images in the batch, for the throughput
     */
    public record Loss(LossTerms terms, int images) {}

    /** The learning rate of an iteration (0-based). */
    @FunctionalInterface
    public interface Rate {
        float at(long iteration);
    }

    /** Writes a checkpoint after {@code done} iterations and says where it is. */
    @FunctionalInterface
    public interface Checkpointer {
        String save(long done) throws IOException;
    }

    private final Sgd sgd;
    private final NDManager manager;
    private final Rate rate;

    /**
     * @param sgd     the optimiser over the trainable parameters
     * @param manager holds the parameters; each iteration's manager is a sub-manager of it
     * @param rate    the learning rate schedule
     */
    public SgdLoop(Sgd sgd, NDManager manager, Rate rate) {
        this.sgd = sgd;
        this.manager = manager;
        this.rate = rate;
    }

    /**
     * Runs iterations {@code start..total-1}.
     *
     * @param every          checkpoint after every this many iterations (0: none), not after the last
     * @param checkpointer   writes them (ignored when {@code every} is 0)
     * @param lastCheckpoint the checkpoint the run resumed from, or null
     * @return the stats of the iterations run
     * @throws TrainingDivergedException when a loss term is NaN or infinite (no update or checkpoint is written)
     */
    public List<IterationStats> run(long start, long total, Objective objective, int every, Checkpointer checkpointer,
            String lastCheckpoint, DetectorTrainer.Listener listener) throws IOException {
        ParameterStore ps = new ParameterStore(manager, false);
        List<IterationStats> history = new ArrayList<>();
        String checkpoint = lastCheckpoint;
        long begin = System.nanoTime();
        long images = 0;
        for (long iter = start; iter < total; iter++) {
            float lr = rate.at(iter);
            sgd.zeroGradients();
            Map<String, Float> values;
            float loss;
            int batchImages;
            try (NDManager sub = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Loss l = objective.loss(ps, sub, iter);
                NDArray sum = l.terms().total();
                values = l.terms().values();
                loss = sum.getFloat();
                if (!Float.isFinite(loss)) throw new TrainingDivergedException(iter + 1, values, checkpoint);
                gc.backward(sum);
                batchImages = l.images();
            }
            sgd.step(lr);
            images += batchImages;
            double seconds = (System.nanoTime() - begin) / 1e9;
            double ips = images / Math.max(seconds, 1e-9);
            double eta = (total - iter - 1) * (seconds / (iter - start + 1));
            IterationStats stats = new IterationStats(iter, total, values, loss, lr, ips, eta);
            history.add(stats);
            listener.onIteration(stats);
            long done = iter + 1;
            if (every > 0 && done % every == 0 && done < total) {
                checkpoint = checkpointer.save(done);
                listener.onCheckpoint(done);
            }
        }
        return history;
    }
}
