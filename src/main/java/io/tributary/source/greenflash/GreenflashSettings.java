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
 * @param fullRunDetails which items a full run asks the detail of: {@code changed}
 * (default: new items, items whose {@code updatedAt} moved or whose listed fields differ
 * from what is stored) or {@code all} (every listed item: also sees a change of messages
 * or participant that moved no list field, at one detail call per item per full run)
 */
record GreenflashSettings(String productId, String versionId, @DefaultValue("true") boolean fetchMessages,
		@DefaultValue("4") int fetchConcurrency, @DefaultValue("changed") FullRunDetails fullRunDetails) {

	/** Which items a full run asks the detail of. */
	enum FullRunDetails {

		CHANGED, ALL

	}

}
