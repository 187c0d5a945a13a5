package org.rcnn4j.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the CLI tests that need a trained model: synthesises 4 shapes images and trains a tiny
 * Faster R-CNN on them through the command line, once per test class.
 */
abstract class TinyModelCliTest {
    @TempDir static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void trainTinyModel() {
        data = PretrainCommandTest.synthShapes(tmp.resolve("shapes"));
        model = tmp.resolve("model");
        CliRun.trainTinyModel(data, model);
    }
}
