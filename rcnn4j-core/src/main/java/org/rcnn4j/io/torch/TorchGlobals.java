package org.rcnn4j.io.torch;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.io.torch.RestrictedUnpickler.Errors;

/**
 * The Python names a state-dict pickle may use, and what calling them builds. This is torch's
 * {@code weights_only=True} list narrowed to dense tensors: {@code collections.OrderedDict},
 * {@code torch.Size}, the tensor and parameter rebuild functions of {@code torch._utils}, the legacy
 * storage classes ({@code torch.FloatStorage} ...; {@code torch.cuda.*} in old files saved from a
 * GPU) and the dtype attributes ({@code torch.float32} ...). Nothing is looked up by name beyond
 * this list, and nothing Python-side is ever run: a "call" builds the Java value the function
 * would have returned.
 */
final class TorchGlobals {
    private TorchGlobals() {}

    /** A function or class a state dict's pickle may call (REDUCE, NEWOBJ). */
    enum Function {
        ORDERED_DICT("collections", "OrderedDict"),
        TORCH_SIZE("torch", "Size"),
        /** {@code (storage, offset, size, stride)}: torch 0.4's tensor pickling. */
        REBUILD_TENSOR("torch._utils", "_rebuild_tensor"),
        /** {@code (storage, offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
        REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
        /** {@code (tensor, requires_grad, backward_hooks)}: an {@code nn.Parameter}, read as its tensor. */
        REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
        /** {@code (tensor, requires_grad, backward_hooks, state)}: a parameter with Python attributes. */
        REBUILD_PARAMETER_WITH_STATE("torch._utils", "_rebuild_parameter_with_state");

        private final String module;
        private final String name;

        Function(String module, String name) {
            this.module = module;
            this.name = name;
        }

        String qualifiedName() {
            return module + "." + name;
        }
    }

    /** A legacy storage class ({@code torch.FloatStorage}): in a persistent id, the storage's element type. */
    record StorageClass(String qualifiedName, DType dtype) {}

    /** What a global name stands for: a {@link Function}, a {@link StorageClass}, a {@link DType}; null if not allowed. */
    static Object resolve(String module, String name) {
        for (Function f : Function.values()) {
            if (f.module.equals(module) && f.name.equals(name)) return f;
        }
        DType storage = DType.ofStorageClass(name);
        if (storage != null && (module.equals("torch") || module.equals("torch.cuda"))) {
            return new StorageClass(module + "." + name, storage);
        }
        return module.equals("torch") ? DType.ofTorchName(name) : null;
    }

    /** The value a call of {@code callable} with positional {@code args} returns. */
    static Object call(Object callable, Object[] args, Errors bad) {
        if (!(callable instanceof Function f)) throw bad.at("a " + typeName(callable) + " cannot be called in a state dict");
        return switch (f) {
            case ORDERED_DICT -> orderedDict(args, bad);
            case TORCH_SIZE -> {
                if (args.length != 1 || !(args[0] instanceof Object[] dims)) throw bad.at("torch.Size takes one tuple");
                yield dims;
            }
            case REBUILD_TENSOR -> tensor(f, args, 4, bad);
            case REBUILD_TENSOR_V2 -> tensor(f, args, args.length == 7 ? 7 : 6, bad);
            case REBUILD_PARAMETER -> parameter(f, args, 3, bad);
            case REBUILD_PARAMETER_WITH_STATE -> parameter(f, args, 4, bad);
        };
    }

    /** Empty, as protocol 2+ pickles it (items follow by SETITEMS), or from Python 2's list of [key, value] pairs. */
    private static Map<Object, Object> orderedDict(Object[] args, Errors bad) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.length == 0) return dict;
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                Object[] kv = pair instanceof List<?> l ? l.toArray() : pair instanceof Object[] t ? t : null;
                if (kv == null || kv.length != 2) throw bad.at("collections.OrderedDict of a list that is not of pairs");
                dict.put(kv[0], kv[1]);
            }
            return dict;
        }
        throw bad.at("collections.OrderedDict called with " + args.length + " arguments");
    }

    private static TorchTensor tensor(Function f, Object[] args, int arity, Errors bad) {
        if (args.length != arity || !(args[0] instanceof Storage storage)) {
            throw bad.at(f.qualifiedName() + " expects a storage and " + (arity - 1) + " more arguments, got " + typeNames(args));
        }
        long offset = integer(f, args[1], bad);
        long[] shape = integers(f, args[2], bad);
        long[] stride = integers(f, args[3], bad);
        String problem = TorchTensor.viewProblem(storage, offset, shape, stride);
        if (problem != null) throw bad.at(f.qualifiedName() + ": " + problem);
        return new TorchTensor(storage, offset, shape, stride);
    }

    private static TorchTensor parameter(Function f, Object[] args, int arity, Errors bad) {
        if (args.length != arity || !(args[0] instanceof TorchTensor data)) {
            throw bad.at(f.qualifiedName() + " expects a tensor and " + (arity - 1) + " more arguments, got " + typeNames(args));
        }
        return data;
    }

    private static long integer(Function f, Object o, Errors bad) {
        if (!(o instanceof Long v)) throw bad.at(f.qualifiedName() + " expects an int, got a " + typeName(o));
        return v;
    }

    private static long[] integers(Function f, Object o, Errors bad) {
        if (!(o instanceof Object[] t)) throw bad.at(f.qualifiedName() + " expects a tuple of ints, got a " + typeName(o));
        long[] values = new long[t.length];
        for (int i = 0; i < t.length; i++) values[i] = integer(f, t[i], bad);
        return values;
    }

    /** A value's Python type name, for messages: {@code dict}, {@code tuple}, {@code tensor}. */
    static String typeName(Object o) {
        if (o == null) return "None";
        if (o instanceof Map) return "dict";
        if (o instanceof List) return "list";
        if (o instanceof Object[]) return "tuple";
        if (o instanceof Set) return "set";
        if (o instanceof String) return "str";
        if (o instanceof byte[]) return "bytes";
        if (o instanceof Long || o instanceof BigInteger) return "int";
        if (o instanceof Double) return "float";
        if (o instanceof Boolean) return "bool";
        if (o instanceof TorchTensor) return "tensor";
        if (o instanceof Storage) return "storage";
        if (o instanceof Function f) return f.qualifiedName();
        if (o instanceof StorageClass c) return c.qualifiedName();
        if (o instanceof DType) return "dtype";
        return o.getClass().getSimpleName();
    }

    private static String typeNames(Object[] args) {
        StringBuilder sb = new StringBuilder("(");
        for (Object a : args) sb.append(sb.length() > 1 ? ", " : "").append(typeName(a));
        return sb.append(")").toString();
    }
}
