package org.rcnn4j.io.torch;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.rcnn4j.io.BadInputException;

/**
 * A pickle reader (protocols 2 to 5) that builds plain Java values and never runs anything: like
 * torch's {@code weights_only=True} loader, it resolves a global name only through
 * {@link TorchGlobals}' short list of what a state dict needs, and refuses any other name, class
 * instantiation or extension opcode with a one-line {@link BadInputException} at the opcode's byte.
 *
 * <p>Python values become: dict and {@code OrderedDict} a {@link LinkedHashMap} (keys in pickle
 * order), list an {@link ArrayList}, tuple an {@code Object[]}, set a {@link LinkedHashSet}, str a
 * {@link String}, bytes a {@code byte[]}, int a {@link Long} (a {@link BigInteger} beyond 64 bits),
 * float a {@link Double}, bool a {@link Boolean}, None {@code null}, and a rebuilt tensor a
 * {@link TorchTensor}. A persistent id (torch's reference to a storage) goes to the
 * {@link PersistentLoader} the caller gives.
 */
final class RestrictedUnpickler {
    /** Resolves a persistent id ({@code BINPERSID}); {@code bad} makes an error at the opcode's byte. */
    @FunctionalInterface
    interface PersistentLoader {
        Object load(Object pid, Errors bad);
    }

    /** Makes a one-line error at the byte of the opcode being run. */
    @FunctionalInterface
    interface Errors {
        BadInputException at(String what);
    }

    /** For pickles that must hold no persistent ids (the legacy format's header pickles). */
    static final PersistentLoader NO_PERSISTENT_IDS = (pid, bad) -> {
        throw bad.at("a persistent id where none may be");
    };

    private static final int HIGHEST_PROTOCOL = 5;

    private final PickleInput in;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long opcodeAt;

    private RestrictedUnpickler(PickleInput in, PersistentLoader persistent) {
        this.in = in;
        this.persistent = persistent;
    }

    /** Reads one pickle, up to and including its STOP opcode, and returns its value. */
    static Object load(PickleInput in, PersistentLoader persistent) {
        return new RestrictedUnpickler(in, persistent).run();
    }

    private Object run() {
        while (true) {
            opcodeAt = in.position();
            int op = in.u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = in.u8();
                    if (protocol > HIGHEST_PROTOCOL) throw bad("pickle protocol " + protocol + " is newer than " + HIGHEST_PROTOCOL);
                }
                case 0x95 -> in.i64(); // FRAME: a length hint for buffered readers
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(top()); // DUP
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) in.i32()); // BININT
                case 'K' -> push((long) in.u8()); // BININT1
                case 'M' -> push((long) in.u16()); // BININT2
                case 0x8a -> push(twosComplement(in.bytes(in.u8()))); // LONG1
                case 0x8b -> push(twosComplement(in.bytes(in.i32()))); // LONG4
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.i64()))); // BINFLOAT, big-endian
                case 'X' -> push(utf8(in.bytes(in.u32()))); // BINUNICODE
                case 0x8c -> push(utf8(in.bytes(in.u8()))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(in.bytes(in.i64()))); // BINUNICODE8
                // Python 2's str: bytes that were text then; latin-1 keeps every byte.
                case 'T' -> push(new String(in.bytes(in.i32()), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'U' -> push(new String(in.bytes(in.u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'B' -> push(in.bytes(in.u32())); // BINBYTES
                case 'C' -> push(in.bytes(in.u8())); // SHORT_BINBYTES
                case 0x8e, 0x96 -> push(in.bytes(in.i64())); // BINBYTES8, BYTEARRAY8
                case ')' -> push(new Object[0]); // EMPTY_TUPLE
                case 0x85 -> push(new Object[] {pop()}); // TUPLE1
                case 0x86 -> push(popTuple(2)); // TUPLE2
                case 0x87 -> push(popTuple(3)); // TUPLE3
                case 't' -> push(popMark().toArray()); // TUPLE
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putItems(dict, popMark().toArray());
                    push(dict);
                }
                case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
                case 0x91 -> push(new LinkedHashSet<>(popMark())); // FROZENSET
                case 'a' -> addTo(List.class, Collections.singletonList(pop()), "APPEND"); // APPEND
                case 'e' -> addTo(List.class, popMark(), "APPENDS"); // APPENDS
                case 0x90 -> addTo(LinkedHashSet.class, popMark(), "ADDITEMS"); // ADDITEMS
                case 's' -> { // SETITEM
                    Object[] keyAndValue = popTuple(2);
                    putItems(top(), keyAndValue);
                }
                case 'u' -> { // SETITEMS
                    Object[] keysAndValues = popMark().toArray();
                    putItems(top(), keysAndValues);
                }
                case 'q' -> memo.put((long) in.u8(), top()); // BINPUT
                case 'r' -> memo.put(in.u32(), top()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                case 'h' -> push(recall(in.u8())); // BINGET
                case 'j' -> push(recall(in.u32())); // LONG_BINGET
                case 'c' -> push(global(in.line(), in.line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL of a non-string name");
                    push(global(m, n));
                }
                case 'R', 0x81 -> { // REDUCE, NEWOBJ: call a global with a tuple of arguments
                    Object[] args = tuple(pop());
                    push(TorchGlobals.call(pop(), args, this::bad));
                }
                case 0x92 -> { // NEWOBJ_EX: the same with keyword arguments, which nothing allowed takes
                    Object kwargs = pop();
                    Object[] args = tuple(pop());
                    if (!(kwargs instanceof Map<?, ?> k) || !k.isEmpty()) throw bad("NEWOBJ_EX with keyword arguments");
                    push(TorchGlobals.call(pop(), args, this::bad));
                }
                case 'b' -> build(pop(), top()); // BUILD
                case 'Q' -> push(persistent.load(pop(), this::bad)); // BINPERSID
                default -> throw bad(unsupported(op));
            }
        }
    }

    private Object global(String module, String name) {
        Object g = TorchGlobals.resolve(module, name);
        if (g == null) throw bad("pickle global " + module + "." + name + " is not allowed in a state dict");
        return g;
    }

    /**
     * BUILD sets an object's attributes from a state. The objects allowed here carry only attributes
     * a state dict reader does not need: an OrderedDict's {@code _metadata} (module versions) and a
     * parameter's Python state.
     */
    private void build(Object state, Object target) {
        if (!(target instanceof Map) && !(target instanceof TorchTensor)) {
            throw bad("BUILD of a " + TorchGlobals.typeName(target) + " is not allowed in a state dict");
        }
    }

    private void putItems(Object target, Object[] keysAndValues) {
        if (!(target instanceof Map<?, ?>)) throw bad("SETITEM on a " + TorchGlobals.typeName(target));
        if (keysAndValues.length % 2 != 0) throw bad("SETITEMS with an odd number of items");
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) target;
        for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
    }

    private void addTo(Class<?> kind, List<Object> items, String opcode) {
        if (!kind.isInstance(top())) throw bad(opcode + " on a " + TorchGlobals.typeName(top()));
        @SuppressWarnings("unchecked")
        Collection<Object> c = (Collection<Object>) top();
        c.addAll(items);
    }

    private Object recall(long index) {
        if (!memo.containsKey(index)) throw bad("memo entry " + index + " was never stored");
        return memo.get(index);
    }

    private Object[] tuple(Object o) {
        if (!(o instanceof Object[] t)) throw bad("arguments must be a tuple, not a " + TorchGlobals.typeName(o));
        return t;
    }

    private Object[] popTuple(int n) {
        if (stack.size() - n < floor()) throw bad("the pickle stack holds fewer than " + n + " items");
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        Object[] items = top.toArray();
        top.clear();
        return items;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("no MARK to pop to");
        List<Object> top = stack.subList(marks.remove(marks.size() - 1), stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Object pop() {
        return popTuple(1)[0];
    }

    private Object top() {
        if (stack.size() <= floor()) throw bad("the pickle stack is empty");
        return stack.get(stack.size() - 1);
    }

    private void push(Object o) {
        stack.add(o);
    }

    /** Items below the last MARK belong to an enclosing container; plain pops must not reach them. */
    private int floor() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private BadInputException bad(String what) {
        return in.bad(opcodeAt, what);
    }

    /** LONG1 and LONG4: a little-endian two's-complement integer of any length. */
    private static Number twosComplement(byte[] littleEndian) {
        if (littleEndian.length == 0) return 0L;
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < bigEndian.length; i++) bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        BigInteger v = new BigInteger(bigEndian);
        return v.bitLength() < 64 ? (Number) v.longValue() : v;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Why an opcode outside the set above is refused. */
    private static String unsupported(int op) {
        return switch (op) {
            case 'I', 'L', 'F', 'S', 'V', 'P', 'p', 'g', 'i', 'o' -> String.format(
                    "pickle opcode '%c' belongs to protocols 0 and 1; state dicts are read in protocols 2 to 5", (char) op);
            case 0x82, 0x83, 0x84 -> "pickle extension-registry opcodes (EXT1, EXT2, EXT4) are not allowed in a state dict";
            case 0x97, 0x98 -> "pickle out-of-band buffers (NEXT_BUFFER, READONLY_BUFFER) are not allowed in a state dict";
            default -> String.format("unknown pickle opcode 0x%02x", op);
        };
    }
}
