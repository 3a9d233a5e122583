package io.tributary.source.zylon;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * What the mapper reads of an item of {@code GET /v1/app/project/{projectId}/interaction}
 * (and of the thread-level list), decoded strictly. Everything else ({@code pgpt},
 * {@code artifact_ids}, {@code all_artifacts}, most of {@code created_by}, block
 * timestamps, …) is left out or kept as a JSON tree: it stays in the item's JSON, which
 * the mapper stores as raw and builds attributes from, so a value of an unexpected type
 * there never fails decoding. {@code state} and {@code stop_reason} stay strings: Zylon
 * sends values beyond its spec.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ZylonInteraction(String id, @JsonProperty("project_id") String projectId,
		@JsonProperty("thread_id") String threadId, String state, @JsonProperty("user_input") ZylonMessage userInput,
		@JsonProperty("assistant_output") AssistantOutput assistantOutput, @JsonProperty("created_at") String createdAt,
		@JsonProperty("created_by") User createdBy) {

	/**
	 * @param type text, thinking, tool_use, tool_result, image, audio, file, binary,
	 * source or tldr; absent in the vendor's example, where {@code mime_type} tells
	 * @param data the text, or the content itself (base64 for binary content); a
	 * structured value is kept as a tree
	 * @param mimeType the content's media type
	 * @param filename the file's name, for files
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ContentBlock(String type, JsonNode data, @JsonProperty("mime_type") String mimeType, String filename) {
	}

	/**
	 * @param role system, user, assistant or tool; any other value is kept as given
	 * @param content the content blocks
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ZylonMessage(String role, List<ContentBlock> content) {
	}

	/**
	 * @param created when the answer was made: epoch seconds per the spec, read by
	 * magnitude (milliseconds too) or as an ISO-8601 string
	 * @param model the model that answered
	 * @param stopReason stop, error, cancelled, or any other value
	 * @param content the answer's content blocks
	 * @param usage the tokens
	 * @param errors the errors; only whether there are any is read
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record AssistantOutput(JsonNode created, String model, @JsonProperty("stop_reason") String stopReason,
			List<ContentBlock> content, Usage usage, JsonNode errors) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Usage(@JsonProperty("input_tokens") Long inputTokens, @JsonProperty("output_tokens") Long outputTokens) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record User(String id, @JsonProperty("org_id") String orgId, @JsonProperty("account_id") String accountId) {
	}

}
