package org.rcnn4j.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random state dicts written by the installed torch now, read back: the zip format with pickle
 * protocols 2 (torch's default) and 4 (frames, STACK_GLOBAL, MEMOIZE), and the legacy format. torch
 * also writes each tensor's values as JSON (float32 and integers print exactly), so nothing here
 * is computed twice in Java. Skipped where torch is not installed.
 */
class TorchRoundTripTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int NO_TORCH = 3;
    private static final String SCRIPT = String.join("\n",
            "import json, sys",
            "from collections import OrderedDict",
            "try:",
            "    import torch",
            "except ImportError:",
            "    sys.exit(" + NO_TORCH + ")",
            "out = sys.argv[1]",
            "g = torch.Generator().manual_seed(18)",
            "w = torch.randn(8, 3, 3, 3, generator=g)",
            "sd = OrderedDict()",
            "sd['conv.weight'] = w",
            "sd['conv.weight_t'] = w.permute(1, 0, 3, 2)",
            "sd['fc.weight'] = torch.randn(10, 20, generator=g)[::2, 5:15]",
            "sd['bn.running_var'] = torch.rand(8, generator=g, dtype=torch.float64)",
            "sd['half'] = torch.randn(4, 5, generator=g).half()",
            "sd['bf16'] = torch.randn(6, generator=g).bfloat16()",
            "sd['idx'] = torch.randint(-1000, 1000, (3, 4), generator=g)",
            "sd['mask'] = torch.rand(5, generator=g) > 0.5",
            "sd['bn.num_batches_tracked'] = torch.tensor(1234)",
            "torch.save(sd, out + '/p2.pth')",
            "torch.save(sd, out + '/p4.pth', pickle_protocol=4)",
            "torch.save(sd, out + '/legacy.pth', _use_new_zipfile_serialization=False)",
            "expected = OrderedDict((k, {'shape': list(t.shape), 'values': (t.long() if not t.is_floating_point()"
                    + " else t.double()).flatten().tolist()}) for k, t in sd.items())",
            "json.dump(expected, open(out + '/expected.json', 'w'))");

    @TempDir Path tmp;

    @Test
    void aStateDictTorchWritesNowReadsBackExactly() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "apt-get install python3-torchvision");
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT, tmp.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "torch took over a minute");
        assumeTrue(p.exitValue() != NO_TORCH, "apt-get install python3-torchvision");
        assertEquals(0, p.exitValue(), output);

        JsonNode expected = new ObjectMapper().readTree(tmp.resolve("expected.json").toFile());
        List<String> keys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(keys::add);
        for (String file : List.of("p2.pth", "p4.pth", "legacy.pth")) {
            StateDict sd = StateDict.read(tmp.resolve(file));
            assertEquals(keys, sd.keys(), file);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertTensor(file + " " + e.getKey(), e.getValue(), sd.get(e.getKey()));
            }
        }
    }

    private static void assertTensor(String what, JsonNode expected, TorchTensor t) {
        long[] shape = new long[expected.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = expected.get("shape").get(i).asLong();
        assertArrayEquals(shape, t.shape(), what);
        JsonNode values = expected.get("values");
        if (t.dtype().isIntegral()) {
            long[] longs = new long[values.size()];
            for (int i = 0; i < longs.length; i++) longs[i] = values.get(i).asLong();
            assertArrayEquals(longs, t.toLongs(), what);
        } else {
            float[] floats = new float[values.size()];
            for (int i = 0; i < floats.length; i++) floats[i] = (float) values.get(i).asDouble();
            assertArrayEquals(floats, t.toFloats(), what);
        }
    }
}
