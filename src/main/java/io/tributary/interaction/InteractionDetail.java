package io.tributary.interaction;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * One interaction with its messages, and its raw upstream object when asked for with
 * {@code include=raw}.
 */
@Schema(description = "One interaction with its messages; raw only with include=raw")
public record InteractionDetail(@JsonUnwrapped InteractionSummary summary, List<Message> messages,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = "object", implementation = Object.class,
				description = "The upstream object as received, secrets stripped (only with include=raw)") JsonNode raw,
		@JsonIgnore @Schema(hidden = true) String contentHash) {

}
