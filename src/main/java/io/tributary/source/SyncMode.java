package io.tributary.source;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.common.ApiValue;

/**
 * How much of an upstream a run reads.
 */
public enum SyncMode implements ApiValue {

	/** Newest first, down to the watermark minus the overlap. */
	INCREMENTAL("incremental"),
	/** Everything, to catch changes an incremental run cannot see. */
	FULL("full");

	private final String apiValue;

	SyncMode(String apiValue) {
		this.apiValue = apiValue;
	}

	@Override
	@JsonValue
	public String apiValue() {
		return this.apiValue;
	}

}
