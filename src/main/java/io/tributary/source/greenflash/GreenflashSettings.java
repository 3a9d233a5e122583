package io.tributary.source.greenflash;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sources.<name>.greenflash}.
 *
 * @param productId only interactions of this product
 * @param versionId only interactions of this product version
 * @param fetchMessages call {@code GET /interactions/{id}} for new or changed items to
 * get their messages
 * @param fetchConcurrency how many of those calls run at once
 */
record GreenflashSettings(String productId, String versionId, @DefaultValue("true") boolean fetchMessages,
		@DefaultValue("4") int fetchConcurrency) {
}
