package org.rcnn4j.config;

/**
 * A detector config with a Fast R-CNN region stage ({@link RoiConfig}: RoI sampling, pooling, the
 * box head and its truncated SVD ranks) and its post-processing ({@link TestConfig}).
 */
public interface RoiHeadConfig extends DetectorConfig {
    /** The region stage's section. */
    RoiConfig roi();

    /** Post-processing. */
    TestConfig test();

    /** The same config with another region stage section. */
    RoiHeadConfig withRoi(RoiConfig roi);

    /** The same config with other post-processing (a test-time setting: trained weights still fit). */
    RoiHeadConfig withTest(TestConfig test);

    /** C of the pooled region features: the backbone's output channels, unless a neck changes them (FPN). */
    int pooledChannels();

    /** Checks the region stage's and post-processing's fields. */
    static void validateRegionStage(RoiHeadConfig c) {
        ConfigException.present(c.roi(), "roi").validate("roi");
        ConfigException.present(c.test(), "test").validate("test");
    }
}
