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
	FULL("full"),
	/**
	 * No upstream call: stored rows of older mapper versions are mapped again from their
	 * {@code raw} (a run of its own, started with
	 * {@code POST /api/v1/admin/renormalize}).
	 */
	RENORMALIZE("renormalize");

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
