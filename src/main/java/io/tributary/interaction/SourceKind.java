package io.tributary.interaction;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tributary.web.ApiValue;

/**
 * The upstream product an interaction came from.
 */
public enum SourceKind implements ApiValue {

	GREENFLASH("greenflash"), ZYLON("zylon"), FLOCKX("flockx");

	private final String apiValue;

	SourceKind(String apiValue) {
		this.apiValue = apiValue;
	}

	@Override
	@JsonValue
	public String apiValue() {
		return this.apiValue;
	}

}
