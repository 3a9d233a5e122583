package io.tributary.interaction;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.common.ApiValue;

/**
 * Where an interaction stands: answered, still being answered, or failed.
 */
public enum InteractionStatus implements ApiValue {

	COMPLETED("completed"), IN_PROGRESS("in_progress"), ERROR("error");

	private final String apiValue;

	InteractionStatus(String apiValue) {
		this.apiValue = apiValue;
	}

	@Override
	@JsonValue
	public String apiValue() {
		return this.apiValue;
	}

}
