package io.tributary.source.zylon;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * An item of {@code GET /v1/app/project/{projectId}/interaction} (and of the thread-level
 * list), field for field. {@code state} and {@code stop_reason} stay strings: Zylon sends
 * values beyond its spec.
 */
record ZylonInteraction(String id, @JsonProperty("project_id") String projectId,
		@JsonProperty("thread_id") String threadId, String state, @JsonProperty("user_input") ZylonMessage userInput,
		@JsonProperty("assistant_output") AssistantOutput assistantOutput,
		@JsonProperty("artifact_ids") List<String> artifactIds, @JsonProperty("all_artifacts") Boolean allArtifacts,
		@JsonProperty("created_at") String createdAt, @JsonProperty("created_by") User createdBy, Pgpt pgpt) {

	/**
	 * @param type text, thinking, tool_use, tool_result, image, audio, file, binary,
	 * source or tldr (absent in the vendor's example, so text is assumed)
	 */
	record ContentBlock(String type, String data, @JsonProperty("mime_type") String mimeType, String filename,
			@JsonProperty("start_timestamp") String startTimestamp,
			@JsonProperty("stop_timestamp") String stopTimestamp, @JsonProperty("_meta") JsonNode meta) {
	}

	record ZylonMessage(String role, List<ContentBlock> content, @JsonProperty("_meta") JsonNode meta) {
	}

	record AssistantOutput(String id, Long created, String model, @JsonProperty("stop_reason") String stopReason,
			List<ContentBlock> content, Usage usage, List<Error> errors) {
	}

	record Usage(@JsonProperty("input_tokens") Long inputTokens, @JsonProperty("output_tokens") Long outputTokens) {
	}

	record Error(String type, String message) {
	}

	record User(String id, @JsonProperty("org_id") String orgId, @JsonProperty("account_id") String accountId,
			@JsonProperty("profile_picture") String profilePicture, String name, String email,
			@JsonProperty("job_position_name") String jobPositionName,
			@JsonProperty("job_position_description") String jobPositionDescription, String state, List<String> roles,
			@JsonProperty("created_at") String createdAt) {
	}

	record Pgpt(List<ZylonMessage> messages, Boolean stream, List<Tool> tools,
			@JsonProperty("tool_choice") ToolChoice toolChoice, @JsonProperty("mcp_servers") List<McpServer> mcpServers,
			@JsonProperty("response_format") ResponseFormat responseFormat, SystemPrompt system, Thinking thinking,
			Double priority, Long seed, @JsonProperty("min_p") Double minP, @JsonProperty("top_p") Double topP,
			Double temperature, @JsonProperty("top_k") Double topK,
			@JsonProperty("repetition_penalty") Double repetitionPenalty,
			@JsonProperty("presence_penalty") Double presencePenalty,
			@JsonProperty("frequency_penalty") Double frequencyPenalty, @JsonProperty("max_tokens") Long maxTokens,
			@JsonProperty("correlation_id") String correlationId,
			@JsonProperty("tool_context") List<ToolContext> toolContext) {
	}

	record Tool(String name, String type, String description, JsonNode inputSchema) {
	}

	record ToolChoice(String type, String name,
			@JsonProperty("disable_parallel_tool_use") Boolean disableParallelToolUse) {
	}

	/**
	 * {@code authorization_token} is a secret: it is redacted before anything is stored.
	 */
	record McpServer(String url, String name, @JsonProperty("authorization_token") String authorizationToken,
			@JsonProperty("tool_configuration") JsonNode toolConfiguration, String type) {
	}

	record ResponseFormat(String type, @JsonProperty("json_schema") JsonNode jsonSchema) {
	}

	record SystemPrompt(@JsonProperty("use_default_prompt") Boolean useDefaultPrompt, String text, JsonNode citations) {
	}

	record Thinking(Boolean enabled) {
	}

	record ToolContext(String content, @JsonProperty("content_type") String contentType,
			@JsonProperty("doc_metadata") JsonNode docMetadata, @JsonProperty("start_timestamp") String startTimestamp,
			@JsonProperty("stop_timestamp") String stopTimestamp, @JsonProperty("_meta") JsonNode meta) {
	}

}
