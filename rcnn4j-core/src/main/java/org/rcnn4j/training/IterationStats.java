package org.rcnn4j.training;

import java.util.Map;

/**
 * What one training iteration reports to a listener.
 *
 * @param iteration       0-based iteration just finished
 * @param iterations      total iterations of the run
 * @param losses          each loss term's value
 * @param loss            their sum
 * @param learningRate    the rate used
 * @param imagesPerSecond throughput since the run (or resume) started
 * @param etaSeconds      estimated seconds to the end
 */
public record IterationStats(long iteration, long iterations, Map<String, Float> losses, float loss, float learningRate,
        double imagesPerSecond, double etaSeconds) {}
