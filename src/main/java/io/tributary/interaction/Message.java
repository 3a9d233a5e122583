package io.tributary.interaction;

import org.jspecify.annotations.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One normalized message of an interaction, in conversation order.
 *
 * @param role who wrote it: {@code user}, {@code assistant}, {@code system},
 * {@code tool}, or the upstream's own role name where it has no equivalent
 * @param type the content kind: {@code text}, {@code thinking}, {@code tool_use},
 * {@code image}, …
 * @param text its text; for non-text content, a short description (file name, tool name)
 */
@Schema(description = "One message of the interaction, in conversation order")
public record Message(@Schema(example = "user") @Nullable String role, @Schema(example = "text") @Nullable String type,
		@Schema(example = "How do I rotate my API key?") @Nullable String text) {
}
