/**
 * Dense linear algebra that DJL lacks, in plain Java on arrays (no NDArray, no native code):
 * {@link org.rcnn4j.linalg.TruncatedSvd} factorises a fully connected layer's u×v weight matrix
 * W ≈ U_t Σ_t V_tᵀ at rank t, so that the layer becomes two layers of t(u + v) weights in all (Fast
 * R-CNN §3.1, truncated SVD of fc6 and fc7 for faster detection); it takes the eigen-decomposition of
 * the smaller Gram matrix ({@code SymmetricEigen}: Householder tridiagonalisation, then implicitly
 * shifted QL, in double precision).
 *
 * <p><b>Layout.</b> Matrices are flat row-major {@code float[]} as DJL's {@code Linear} stores its
 * weight (u outputs, v inputs, y = Wx + b); the factors come back in the same layout, ready to load
 * into {@link org.rcnn4j.modeling.roiheads.FactorisedLinear}.
 *
 * <p><b>Layering.</b> Imports nothing from rcnn4j. Used by {@code org.rcnn4j.modeling.roiheads} and
 * {@code org.rcnn4j.detector.compress}; never prints or exits.
 */
package org.rcnn4j.linalg;
