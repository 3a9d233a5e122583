package io.tributary.source;

import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the upstream says of an item a full pass no longer listed: it is there, it is gone
 * (its detail endpoint answers 404), or nothing can be trusted (no detail endpoint, the
 * detail endpoint does not answer 200 for an item that is listed, or the call failed).
 *
 * @param sourceId the upstream id
 * @param state what the upstream says
 */
public record Existence(String sourceId, State state) {

	private static final int CONCURRENCY = 4;

	/** What the upstream says of one item. */
	public enum State {

		/** The detail answered: the listing missed it. */
		PRESENT,
		/** The detail answered 404, and 404s of this endpoint can be trusted. */
		GONE,
		/**
		 * Nothing the upstream can say decides it: no detail endpoint, or one that
		 * answers 404 even for a listed item.
		 */
		UNKNOWN,
		/** The detail call failed (after its retries): no decision this time. */
		FAILED

	}

	/**
	 * @param sourceIds the items
	 * @return every item as unknown
	 */
	public static Flux<Existence> unknown(List<String> sourceIds) {
		return Flux.fromIterable(sourceIds).map((id) -> new Existence(id, State.UNKNOWN));
	}

	/**
	 * Asks a detail endpoint about each item, trusting its 404s only once it answered 200
	 * for {@code probeId}, an item the same pass listed (an endpoint that takes another
	 * kind of id, or none at all, answers 404 for everything).
	 * @param sourceIds the items the pass no longer listed
	 * @param probeId an item the pass listed; null when it listed none
	 * @param detail the detail call of one item
	 * @return what the upstream says of each item
	 */
	public static Flux<Existence> byDetail(List<String> sourceIds, String probeId, Function<String, Mono<?>> detail) {
		if (probeId == null || sourceIds.isEmpty()) {
			return unknown(sourceIds);
		}
		return answer(probeId, detail).flatMapMany((probe) -> switch (probe) {
			case GONE, UNKNOWN -> unknown(sourceIds);
			case FAILED -> Flux.fromIterable(sourceIds).map((id) -> new Existence(id, State.FAILED));
			case PRESENT -> Flux.fromIterable(sourceIds)
				.flatMapSequential((id) -> answer(id, detail).map((state) -> new Existence(id, state)), CONCURRENCY);
		});
	}

	private static Mono<State> answer(String id, Function<String, Mono<?>> detail) {
		return Mono.defer(() -> detail.apply(id))
			.map((body) -> State.PRESENT)
			.defaultIfEmpty(State.PRESENT)
			.onErrorResume((ex) -> Mono
				.just((ex instanceof UpstreamException upstream && Integer.valueOf(404).equals(upstream.status()))
						? State.GONE : State.FAILED));
	}

}
