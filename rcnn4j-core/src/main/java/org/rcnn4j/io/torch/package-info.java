/**
 * PyTorch weights files read in plain Java, without Python or libtorch:
 * {@link org.rcnn4j.io.torch.StateDict#read} takes a {@code torch.save} zip archive (torch 1.6 on),
 * a legacy {@code torch.save} file or a safetensors file, tells which from the bytes, and returns its
 * tensors by name as {@link org.rcnn4j.io.torch.TorchTensor}s (a {@link org.rcnn4j.io.torch.DType},
 * a shape, and the values on request as {@code float[]} or {@code long[]}, contiguous and row-major).
 * This is how torchvision's published detector weights reach rcnn4j's models.
 *
 * <p><b>Safety.</b> {@code torch.save} files are Python pickles, which may name any Python function
 * to call while loading. {@code RestrictedUnpickler} calls nothing: it knows the
 * few names a state dict uses ({@code collections.OrderedDict}, torch's tensor rebuild functions and
 * storage classes) and builds their Java equivalents, and it refuses any other name, like torch's
 * own {@code weights_only=True}, with a {@link org.rcnn4j.io.BadInputException} naming it.
 *
 * <p><b>Errors.</b> Everything wrong with a file (its format, a refused name, a truncated entry, an
 * unknown dtype, big-endian data) is a {@link org.rcnn4j.io.BadInputException} whose one-line
 * message names the file and where in it: a zip entry and byte ({@code archive/data.pkl, byte 57}),
 * a storage, or a safetensors header field ({@code header["conv1.weight"].dtype}).
 *
 * <p><b>Layering.</b> Imports nothing from rcnn4j but {@code org.rcnn4j.io}; only the JDK and
 * Jackson (for the safetensors header).
 */
package org.rcnn4j.io.torch;
