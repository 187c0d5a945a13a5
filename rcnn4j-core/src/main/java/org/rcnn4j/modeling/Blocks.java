package org.rcnn4j.modeling;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Operations on whole DJL blocks that DJL itself lacks. */
public final class Blocks {
    private Blocks() {}

    /**
     * Replaces {@code to}'s parameters with copies of {@code from}'s, in {@code manager}, through
     * DJL's own parameter encoding; the blocks must have the same architecture.
     */
    public static void copyParameters(Block from, Block to, NDManager manager) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                from.saveParameters(out);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                to.loadParameters(manager, in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("blocks of different architectures: " + e.getMessage(), e);
        }
    }

}
