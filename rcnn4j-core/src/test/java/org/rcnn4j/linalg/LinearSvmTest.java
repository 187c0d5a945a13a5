package org.rcnn4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearSvmTest {
    /** A seeded problem: n×d row-major features and ±1 labels. */
    record Data(String name, float[] x, int[] y, int d) {
        int n() {
            return y.length;
        }
    }

    /** 200×20 problems, separable and not, 20–35 % or 5–15 % positive; and 300×32 fc7-like features, 10 % positive. */
    private static Data[] smallProblems() {
        return new Data[] {separable(200, 20, 0.52, 1), separable(200, 20, 1.28, 2), overlapping(200, 20, 0.52, 0.15, 3),
                           overlapping(200, 20, 1.28, 0.05, 4), rcnnLike(300, 32, 0.1, 5)};
    }

    @Test
    void reachesLiblinearsOptimum() {
        // Both solvers run to a tight tolerance, so that both land on the optimum and their objectives can be compared
        // closely. liblinear's own dual solver is called with the same iteration limit: its train() caps the dual
        // solvers at 300 iterations, far from enough at C = 1 on overlapping classes (tens of thousands are needed).
        for (Data data : smallProblems()) {
            for (double c : new double[] {0.001, 1}) {
                LinearSvm.Parameters p = LinearSvm.Parameters.rcnn().withC(c).withEps(1e-6).withMaxIterations(1_000_000);
                Comparison r = compare(data, p, 11, LinearSvmTest::liblinearDualSolver);
                String what = data.name() + ", C = " + c + ": " + r;
                assertTrue(r.ours().training().orElseThrow().converged(), what);
                assertTrue(r.theirIterations() < p.maxIterations(), what);
                assertTrue(r.relativeObjectiveDifference() < 1e-4, what);
                assertTrue(r.predictionAgreement() >= 0.99, what);
            }
        }
    }

    @Test
    void agreesWithLiblinearAsRcnnCallsIt() {
        // liblinear's train(), -s 3 -c 0.001 -w1 2 -B 10 -e 0.1: each solver stops early at its own point, so the
        // objectives agree less closely than at the optimum; the predictions on almost every point.
        for (Data data : smallProblems()) {
            Comparison r = compare(data, LinearSvm.Parameters.rcnn(), 12, LinearSvmTest::liblinearTrain);
            assertTrue(r.relativeObjectiveDifference() < 1e-2, data.name() + ": " + r);
            assertTrue(r.predictionAgreement() >= 0.99, data.name() + ": " + r);
            // At C = 0.001 train() converges within its cap: with a tight tolerance the objectives agree closely.
            Comparison tight = compare(data, LinearSvm.Parameters.rcnn().withEps(1e-5), 12, LinearSvmTest::liblinearTrain);
            assertTrue(tight.relativeObjectiveDifference() < 1e-4, data.name() + ": " + tight);
            assertTrue(tight.predictionAgreement() >= 0.99, data.name() + ": " + tight);
        }
    }

    @Test
    void largestProblemAgreesWithLiblinearAtRcnnSettings() {
        // A small run first, so that the times below are not the just-in-time compiler's.
        compare(rcnnLike(300, 32, 0.1, 7), LinearSvm.Parameters.rcnn(), 13, LinearSvmTest::liblinearTrain);
        Data data = rcnnLike(4000, 256, 0.1, 6);
        Comparison r = compare(data, LinearSvm.Parameters.rcnn(), 13, LinearSvmTest::liblinearTrain);
        assertTrue(r.relativeObjectiveDifference() < 1e-2, r.toString());
        assertTrue(r.predictionAgreement() >= 0.99, r.toString());
        Comparison tight = compare(data, LinearSvm.Parameters.rcnn().withEps(1e-5), 13, LinearSvmTest::liblinearTrain);
        assertTrue(tight.relativeObjectiveDifference() < 1e-4, tight.toString());
        assertTrue(tight.predictionAgreement() >= 0.99, tight.toString());
    }

    @Test
    void liblinearsLabelOrderIsHandled() {
        // liblinear's weights score for the label of its first row (unless it reorders −1/+1 itself): the same rows
        // with a negative first and with a positive first must give the same model here.
        Data data = separable(100, 10, 0.52, 21);
        int firstPositive = 0;
        int firstNegative = 0;
        while (data.y()[firstPositive] < 0) firstPositive++;
        while (data.y()[firstNegative] > 0) firstNegative++;
        LinearSvm.Parameters p = LinearSvm.Parameters.rcnn().withEps(1e-6);
        LinearSvm positiveFirst = liblinearTrain(swapRows(data, 0, firstPositive), p, 1).model();
        LinearSvm negativeFirst = liblinearTrain(swapRows(data, 0, firstNegative), p, 1).model();
        double[] a = positiveFirst.augmentedWeights();
        double[] b = negativeFirst.augmentedWeights();
        for (int j = 0; j < a.length; j++) assertEquals(a[j], b[j], 1e-3 * Math.abs(a[j]) + 1e-6, "weight " + j);
        LinearSvm ours = LinearSvm.train(data.x(), data.y(), data.d(), p, new SplittableRandom(1));
        assertEquals(ours.training().orElseThrow().primalObjective(), positiveFirst.primalObjective(data.x(), data.y(), p),
                1e-4 * ours.training().orElseThrow().primalObjective());
    }

    @Test
    void maxMarginOfATinySeparableProblem() {
        // (1, 1), (2, 2) against (−1, −1): the margin is set by (1, 1) and (−1, −1), w = (½, ½), ½‖w‖² = ¼, with
        // multipliers α = ¼ for both (w = ¼(1, 1) + ¼(1, 1)): below C = 1, so the soft margin's optimum is this hard
        // margin. The symmetric problem needs no bias, so a regularised bias weight (B = 10) stays at 0 as well.
        float[] x = {1, 1, 2, 2, -1, -1};
        int[] y = {1, 1, -1};
        for (double b : new double[] {0, 10}) {
            LinearSvm.Parameters p = new LinearSvm.Parameters(1, 1, b, 1e-8, 100_000);
            LinearSvm svm = LinearSvm.train(x, y, 2, p, new SplittableRandom(1));
            assertArrayEquals(new float[] {0.5f, 0.5f}, svm.weights(), 1e-3f, "B = " + b);
            assertEquals(0, svm.bias(), 1e-3, "B = " + b);
            assertEquals(0.25, svm.training().orElseThrow().primalObjective(), 1e-3);
            assertEquals(1, svm.score(new float[] {1, 1}), 1e-3);
        }
    }

    @Test
    void regularisedBiasOfAOneDimensionalProblem() {
        // x = 1 positive, x = −100 negative, B = 1, hard margin: min ½(w² + v²) with w + v ≥ 1 and 100w − v ≥ 1. Only
        // the first is active: (w, v) = λ(1, 1), λ = ½ (≤ C = 1, so also the soft margin's optimum), and 100·½ − ½ ≥ 1.
        // So w = ½, b = v·B = ½, objective ¼; with an unregularised bias the margin would be centred between the
        // points instead (w = 2/101, b = 99/101).
        float[] x = {1, -100};
        int[] y = {1, -1};
        LinearSvm svm = LinearSvm.train(x, y, 1, new LinearSvm.Parameters(1, 1, 1, 1e-8, 100_000), new SplittableRandom(2));
        assertEquals(0.5, svm.weights()[0], 1e-4);
        assertEquals(0.5, svm.bias(), 1e-4);
        assertEquals(0.25, svm.training().orElseThrow().primalObjective(), 1e-4);
    }

    @Test
    void positiveWeightScalesThePositivesCost() {
        // Small C: every point violates the margin, every α_i sits at its bound C_i, w = Σ y_i C_i x_i exactly:
        // the positive at x = 1 with cost C·w₁ = 0.02, the negative at x = −1 with cost C = 0.01, w = 0.03.
        float[] x = {1, -1};
        int[] y = {1, -1};
        LinearSvm svm = LinearSvm.train(x, y, 1, new LinearSvm.Parameters(0.01, 2, 0, 1e-6, 1000), new SplittableRandom(3));
        assertEquals(0.03, svm.augmentedWeights()[0], 1e-12);
        assertEquals(0, svm.bias());
        // P = ½·0.03² + 0.02·(1 − 0.03) + 0.01·(1 − 0.03).
        assertEquals(0.00045 + 0.03 * 0.97, svm.training().orElseThrow().primalObjective(), 1e-12);
    }

    @Test
    void seededRunsRepeatAndLayoutsAgree() {
        Data data = overlapping(300, 24, 0.84, 0.1, 7);
        LinearSvm.Parameters p = LinearSvm.Parameters.rcnn().withC(0.1);
        LinearSvm a = LinearSvm.train(data.x(), data.y(), data.d(), p, new SplittableRandom(5));
        LinearSvm b = LinearSvm.train(data.x(), data.y(), data.d(), p, new SplittableRandom(5));
        LinearSvm rows = LinearSvm.train(rows(data), data.y(), data.d(), p, new SplittableRandom(5));
        assertArrayEquals(a.augmentedWeights(), b.augmentedWeights());
        assertArrayEquals(a.augmentedWeights(), rows.augmentedWeights());
        LinearSvm other = LinearSvm.train(data.x(), data.y(), data.d(), p, new SplittableRandom(6));
        double pa = a.training().orElseThrow().primalObjective();
        double po = other.training().orElseThrow().primalObjective();
        assertTrue(Math.abs(pa - po) / pa < 1e-2, pa + " vs " + po);
    }

    @Test
    void dualityGapClosesAndObjectiveMatchesASlowLoop() {
        Data data = overlapping(200, 20, 0.52, 0.15, 8);
        LinearSvm.Parameters p = LinearSvm.Parameters.rcnn().withC(1).withEps(1e-6).withMaxIterations(1_000_000);
        LinearSvm svm = LinearSvm.train(data.x(), data.y(), data.d(), p, new SplittableRandom(4));
        LinearSvm.Training t = svm.training().orElseThrow();
        assertTrue(t.converged());
        assertTrue(t.primalObjective() >= t.dualObjective() - 1e-9, t.toString());
        assertTrue(t.primalObjective() - t.dualObjective() < 1e-4 * t.primalObjective(), t.toString());
        double[] w = svm.augmentedWeights();
        double slow = 0;
        for (double v : w) slow += v * v / 2;
        for (int i = 0; i < data.n(); i++) {
            double s = w[data.d()] * p.biasFeature();
            for (int j = 0; j < data.d(); j++) s += w[j] * data.x()[i * data.d() + j];
            slow += (data.y()[i] > 0 ? p.c() * p.positiveWeight() : p.c()) * Math.max(0, 1 - data.y()[i] * s);
        }
        assertEquals(slow, t.primalObjective(), 1e-9 * slow);
        assertEquals(slow, svm.primalObjective(data.x(), data.y(), p), 1e-9 * slow);
        assertEquals(slow, svm.primalObjective(rows(data), data.y(), p), 1e-9 * slow);
    }

    @Test
    void batchScoresMatchSingleScoresAndWeights() {
        Data data = rcnnLike(50, 16, 0.3, 9);
        LinearSvm svm = LinearSvm.train(data.x(), data.y(), data.d(), LinearSvm.Parameters.rcnn(), new SplittableRandom(1));
        float[] scores = svm.scores(data.x());
        float[] w = svm.weights();
        for (int i = 0; i < data.n(); i++) {
            float[] row = rows(data)[i];
            assertEquals(scores[i], svm.score(row));
            double s = svm.bias();
            for (int j = 0; j < data.d(); j++) s += w[j] * row[j];
            assertEquals(s, scores[i], 1e-4);
        }
        assertEquals(svm.augmentedWeights()[16] * 10, svm.bias(), 1e-6);
    }

    @Test
    void edgeCasesAndInvalidInput() {
        LinearSvm.Parameters p = LinearSvm.Parameters.rcnn();
        LinearSvm empty = LinearSvm.train(new float[0], new int[0], 3, p, new SplittableRandom(1));
        assertArrayEquals(new float[3], empty.weights());
        assertEquals(0, empty.score(new float[] {1, 2, 3}));
        // One class only: no negative to separate from, the solution still minimises P (w pushes positives to 1).
        LinearSvm positivesOnly = LinearSvm.train(new float[] {1, 0, 2, 0}, new int[] {1, 1}, 2, p.withC(1e3).withEps(1e-6), new SplittableRandom(1));
        assertTrue(positivesOnly.score(new float[] {1, 0}) >= 1 - 1e-3);
        assertThrows(IllegalArgumentException.class, () -> LinearSvm.train(new float[4], new int[] {1, 0}, 2, p, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> LinearSvm.train(new float[5], new int[] {1, -1}, 2, p, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> LinearSvm.train(new float[6], new int[] {1, -1}, 2, p, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> LinearSvm.train(new float[][] {{1, 2}, {3}}, new int[] {1, -1}, 2, p, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> LinearSvm.train(new float[] {1, Float.NaN}, new int[] {1, -1}, 1, p, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> p.withC(0));
        assertThrows(IllegalArgumentException.class, () -> p.withPositiveWeight(-1));
        assertThrows(IllegalArgumentException.class, () -> p.withBiasFeature(-1));
        assertThrows(IllegalArgumentException.class, () -> p.withEps(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> p.withMaxIterations(0));
        assertThrows(IllegalArgumentException.class, () -> empty.score(new float[2]));
        assertThrows(IllegalArgumentException.class, () -> empty.scores(new float[4]));
    }

    // ---- the comparison with liblinear ----

    /**
     * liblinear's model, the iterations its solver ran (−1 where train() does not say), and the seconds it took (its
     * training call only, not the conversion of the rows into its feature nodes).
     */
    record Reference(LinearSvm model, int iterations, double seconds) {}

    record Comparison(LinearSvm ours, double ourObjective, double theirObjective, int theirIterations,
                      double predictionAgreement, double ourSeconds, double theirSeconds) {
        double relativeObjectiveDifference() {
            return Math.abs(ourObjective - theirObjective) / theirObjective;
        }

        @Override
        public String toString() {
            LinearSvm.Training t = ours.training().orElseThrow();
            return String.format("objective %.9g (ours, %d iterations, dual bound %.9g) vs %.9g (liblinear, %s iterations),"
                            + " relative difference %.2e; predictions agree on %.2f %%; %.3f s vs %.3f s",
                    ourObjective, t.iterations(), t.dualObjective(), theirObjective, theirIterations < 0 ? "?" : theirIterations,
                    relativeObjectiveDifference(), 100 * predictionAgreement, ourSeconds, theirSeconds);
        }
    }

    /** Trains both solvers with the same settings and seed; both objectives by the same formula (LinearSvm's). */
    static Comparison compare(Data data, LinearSvm.Parameters p, long seed, Liblinear liblinear) {
        long start = System.nanoTime();
        LinearSvm ours = LinearSvm.train(data.x(), data.y(), data.d(), p, new SplittableRandom(seed));
        double ourSeconds = (System.nanoTime() - start) / 1e9;
        Reference theirs = liblinear.train(data, p, seed);
        float[] a = ours.scores(data.x());
        float[] b = theirs.model().scores(data.x());
        int agree = 0;
        for (int i = 0; i < a.length; i++) if ((a[i] > 0) == (b[i] > 0)) agree++;
        Comparison r = new Comparison(ours, ours.primalObjective(data.x(), data.y(), p), theirs.model().primalObjective(data.x(), data.y(), p),
                theirs.iterations(), (double) agree / a.length, ourSeconds, theirs.seconds());
        System.out.printf("LinearSvm vs liblinear, %s (%d×%d), C = %s, w1 = %s, B = %s, eps = %s: %s%n", data.name(), data.n(), data.d(),
                p.c(), p.positiveWeight(), p.biasFeature(), p.eps(), r);
        return r;
    }

    interface Liblinear {
        Reference train(Data data, LinearSvm.Parameters p, long seed);
    }

    /** liblinear's {@code train -s 3 -c C -w1 w₁ -B B -e eps}, as R-CNN calls it (its dual solvers stop at 300 iterations). */
    static Reference liblinearTrain(Data data, LinearSvm.Parameters p, long seed) {
        Linear.disableDebugOutput();
        Problem problem = problem(data, p);
        Parameter parameter = new Parameter(SolverType.L2R_L1LOSS_SVC_DUAL, p.c(), p.eps());
        parameter.setWeights(new double[] {p.positiveWeight()}, new int[] {1});
        parameter.setRandom(new Random(seed));
        long start = System.nanoTime();
        Model model = Linear.train(problem, parameter);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] w = model.getFeatureWeights().clone();
        // A two-class model scores for its first label: the label of the first row unless liblinear reorders −1/+1.
        if (model.getLabels()[0] != 1) for (int j = 0; j < w.length; j++) w[j] = -w[j];
        return new Reference(LinearSvm.fromAugmentedWeights(w, p.biasFeature()), -1, seconds);
    }

    /**
     * liblinear's -s 3 dual coordinate descent itself (the routine train() calls, private in liblinear-java 2.44),
     * with {@code p.maxIterations()} instead of train()'s cap of 300. Labels go in as ±1 with C·w₁ for +1, as
     * train() passes them for its first label.
     */
    static Reference liblinearDualSolver(Data data, LinearSvm.Parameters p, long seed) {
        Linear.disableDebugOutput();
        Problem problem = problem(data, p);
        Parameter parameter = new Parameter(SolverType.L2R_L1LOSS_SVC_DUAL, p.c(), p.eps());
        parameter.setRandom(new Random(seed));
        double[] w = new double[data.d() + 1];
        try {
            Method solve = Linear.class.getDeclaredMethod("solve_l2r_l1l2_svc", Problem.class, Parameter.class, double[].class,
                    double.class, double.class, int.class);
            solve.setAccessible(true);
            long start = System.nanoTime();
            int iterations = (int) solve.invoke(null, problem, parameter, w, p.c() * p.positiveWeight(), p.c(), p.maxIterations());
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Reference(LinearSvm.fromAugmentedWeights(w, p.biasFeature()), iterations, seconds);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("liblinear 2.44's dual solver not found", e);
        }
    }

    /** The rows with the bias feature appended as index d + 1, as liblinear's train tool does for -B. */
    private static Problem problem(Data data, LinearSvm.Parameters p) {
        Problem problem = new Problem();
        problem.l = data.n();
        problem.n = data.d() + 1;
        problem.bias = p.biasFeature();
        problem.y = new double[data.n()];
        problem.x = new Feature[data.n()][];
        for (int i = 0; i < data.n(); i++) {
            Feature[] row = new Feature[data.d() + 1];
            for (int j = 0; j < data.d(); j++) row[j] = new FeatureNode(j + 1, data.x()[i * data.d() + j]);
            row[data.d()] = new FeatureNode(data.d() + 1, p.biasFeature());
            problem.x[i] = row;
            problem.y[i] = data.y()[i];
        }
        return problem;
    }

    private static Data swapRows(Data data, int a, int b) {
        float[] x = data.x().clone();
        int[] y = data.y().clone();
        int d = data.d();
        for (int j = 0; j < d; j++) {
            x[a * d + j] = data.x()[b * d + j];
            x[b * d + j] = data.x()[a * d + j];
        }
        y[a] = data.y()[b];
        y[b] = data.y()[a];
        return new Data(data.name(), x, y, d);
    }

    // ---- seeded problems ----

    /**
     * x ~ N(0, I), labelled +1 beyond a random hyperplane at distance {@code offset} from the origin, points within
     * 0.5 of it drawn again. The distance to the plane is N(0, 1): offset 0.52 leaves about 30 % positive, 1.28 about 10 %.
     */
    static Data separable(int n, int d, double offset, long seed) {
        return hyperplane("separable", n, d, offset, 0, 0.5, seed);
    }

    /** As {@link #separable} without the gap, and a fraction of the labels flipped: not separable. */
    static Data overlapping(int n, int d, double offset, double flipped, long seed) {
        return hyperplane("overlapping", n, d, offset, flipped, 0, seed);
    }

    private static Data hyperplane(String name, int n, int d, double offset, double flipped, double gap, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] normal = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            normal[j] = random.nextGaussian();
            norm += normal[j] * normal[j];
        }
        norm = Math.sqrt(norm);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double projection;
            do {
                projection = 0;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) random.nextGaussian();
                    projection += normal[j] / norm * x[i * d + j];
                }
            } while (Math.abs(projection - offset) < gap);
            y[i] = projection > offset ? 1 : -1;
            if (random.nextDouble() < flipped) y[i] = -y[i];
        }
        int positives = 0;
        for (int label : y) if (label > 0) positives++;
        return new Data(name + String.format(" (%.0f %% positive)", 100.0 * positives / n), x, y, d);
    }

    /**
     * Like R-CNN's fc7 features: non-negative (after ReLU), sparse-ish, scaled to a mean L2 norm of 20; positives
     * share a class direction, so the classes overlap but are mostly separable.
     */
    static Data rcnnLike(int n, int d, double positives, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] direction = new double[d];
        for (int j = 0; j < d; j++) direction[j] = Math.max(0, random.nextGaussian());
        float[] x = new float[n * d];
        int[] y = new int[n];
        double normSum = 0;
        for (int i = 0; i < n; i++) {
            y[i] = random.nextDouble() < positives ? 1 : -1;
            double strength = y[i] > 0 ? 0.8 : 0.2 * random.nextDouble();
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double v = Math.max(0, random.nextGaussian() - 0.5 + strength * direction[j]);
                x[i * d + j] = (float) v;
                norm += v * v;
            }
            normSum += Math.sqrt(norm);
        }
        float scale = (float) (20 / (normSum / n));
        for (int k = 0; k < x.length; k++) x[k] *= scale;
        return new Data(String.format("fc7-like (%.0f %% positive)", 100 * positives), x, y, d);
    }

    static float[][] rows(Data data) {
        float[][] r = new float[data.n()][];
        for (int i = 0; i < data.n(); i++) r[i] = Arrays.copyOfRange(data.x(), i * data.d(), (i + 1) * data.d());
        return r;
    }
}
