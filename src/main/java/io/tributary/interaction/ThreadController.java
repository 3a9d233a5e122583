package io.tributary.interaction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.common.DomainException;
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
 * {@code /api/v1/threads}: conversations, and one conversation's interactions in order.
 */
@RestController
@RequestMapping(path = "/api/v1/threads", produces = "application/json")
@Tag(name = "Threads", description = "Conversations: a connection's interactions grouped by thread")
class ThreadController {

	private final ConversationGroups groups;

	private final InteractionQuery query;

	ThreadController(ConversationGroups groups, InteractionQuery query) {
		this.groups = groups;
		this.query = query;
	}

	@GetMapping
	@Operation(operationId = "listThreads", summary = "List conversations",
			description = "One row per thread of a connection, over the interactions the filters select (deleted ones left out), most recently active first: first and last time, turns, participant, models, average normalized rating, tokens. Without participant, createdFrom and createdTo, read from the thread summaries the database keeps exact at every write (a keyset scan of their index); with any of them, computed from the interactions they select.")
	@ApiResponse(responseCode = "200", description = "One page of conversations")
	GroupPage<ThreadSummary> list(@ParameterObject @Valid @ModelAttribute GroupFilter filter) {
		return this.groups.threads(filter);
	}

	@GetMapping("/{connection}/{threadId}")
	@Operation(operationId = "getThread", summary = "One conversation's interactions, oldest first",
			description = "Keyset pages of the thread's interactions in the order they happened; 404 when the connection has no interaction in this thread.")
	@ApiResponse(responseCode = "200", description = "One page of the conversation")
	@ApiResponse(responseCode = "404", description = "No such conversation")
	InteractionPage get(
			@Parameter(description = "Connection name", example = "zylon-prod") @PathVariable String connection,
			@Parameter(description = "The upstream's thread id", example = "thr_01HZX3") @PathVariable String threadId,
			@Parameter(description = "Page size, 1..200 (default 50)",
					example = "50") @RequestParam(required = false) @Min(1) @Max(200) Integer limit,
			@Parameter(description = "page.nextCursor of the previous page",
					example = "MXwtY3JlYXRlZEF0fDNm...") @RequestParam(required = false) String cursor) {
		InteractionPage page = this.query
			.page(new InteractionFilter(null, connection, null, null, null, threadId, null, null, null, null, null,
					null, null, null, null, null, InteractionSort.CREATED_AT_ASC, limit, cursor, null, null));
		if (page.items().isEmpty() && cursor == null) {
			throw new ThreadNotFound(connection, threadId);
		}
		return page;
	}

	/** No interaction of the connection carries the thread id. */
	static final class ThreadNotFound extends DomainException {

		ThreadNotFound(String connection, String threadId) {
			super(Kind.NOT_FOUND, "threadId",
					"Connection '" + connection + "' has no interaction in thread '" + threadId + "'");
		}

	}

}
