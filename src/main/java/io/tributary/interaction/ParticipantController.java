package io.tributary.interaction;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springdoc.core.annotations.ParameterObject;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/participants}: people across sources, by the customer's own id for them.
 */
@RestController
@RequestMapping(path = "/api/v1/participants", produces = "application/json")
@Tag(name = "Participants", description = "People across every source, by the customer's own participant id")
class ParticipantController {

	private final ConversationGroups groups;

	private final InteractionQuery query;

	ParticipantController(ConversationGroups groups, InteractionQuery query) {
		this.groups = groups;
		this.query = query;
	}

	@GetMapping
	@Operation(operationId = "listParticipants", summary = "List people across sources",
			description = "One row per externalParticipantId (the customer's own user id: Greenflash's externalParticipantId, and whatever a connection maps with participant-external-id), over the interactions the filters select, most recently active first: sources and connections they appear in, interactions, threads, first and last time, average normalized rating, tokens. The participant filter matches the id exactly. Without any filter (and for a key that sees every connection), read from the people summaries the database keeps exact at every write; otherwise computed from the interactions the filters select.")
	@ApiResponse(responseCode = "200", description = "One page of people")
	GroupPage<ParticipantSummary> list(@ParameterObject @Valid @ModelAttribute GroupFilter filter) {
		return this.groups.participants(filter);
	}

	@GetMapping("/{externalParticipantId}/interactions")
	@Operation(operationId = "getParticipantInteractions", summary = "One person's timeline across sources",
			description = "The person's interactions from every source, newest first (sort=createdAt for oldest first), keyset pages.")
	@ApiResponse(responseCode = "200", description = "One page of the timeline")
	InteractionPage interactions(
			@Parameter(description = "The customer's own id of the person",
					example = "user-4711") @PathVariable String externalParticipantId,
			@Parameter(description = "Source kind; repeat for several (OR)",
					array = @ArraySchema(schema = @Schema(type = "string", example = "zylon"))) @RequestParam(
							required = false) List<String> source,
			@Parameter(description = "createdAt or -createdAt (newest first, the default)",
					example = "-createdAt") @RequestParam(required = false) InteractionSort sort,
			@Parameter(description = "Page size, 1..200 (default 50)",
					example = "50") @RequestParam(required = false) @Min(1) @Max(200) Integer limit,
			@Parameter(description = "page.nextCursor of the previous page",
					example = "MXwtY3JlYXRlZEF0fDNm...") @RequestParam(required = false) String cursor) {
		return this.query.page(new InteractionFilter(source, null, null, externalParticipantId, null, null, null, null,
				null, null, null, null, null, null, null, null, sort, limit, cursor, null, null));
	}

}
