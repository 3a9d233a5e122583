package io.tributary.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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

	/**
	 * Asks a detail endpoint whose path may take either of two ids of an item (a vendor
	 * that names the path parameter after a grouping id, as Flockx's
	 * {@code /interactions/{interaction_id}}): first by the listed id, as
	 * {@link #byDetail(List, String, Function)}; when the probe answers 404 by its id but
	 * 200 by its other id, each item is asked by its own other id instead (each other id
	 * once: several items may share one), and that answer is the item's (gone when it is
	 * gone, present when it is present). An item without another id is unknown.
	 * @param sourceIds the items the pass no longer listed
	 * @param probeId an item the pass listed; null when it listed none
	 * @param detail the detail call of one id
	 * @param otherIds the other id of each of the given items where it is known (a
	 * blocking look-up of what is stored, called only when the listed id does not answer)
	 * @return what the upstream says of each item
	 */
	public static Flux<Existence> byDetail(List<String> sourceIds, String probeId, Function<String, Mono<?>> detail,
			Function<Collection<String>, Map<String, String>> otherIds) {
		if (probeId == null || sourceIds.isEmpty()) {
			return unknown(sourceIds);
		}
		return answer(probeId, detail).flatMapMany((probe) -> switch (probe) {
			case FAILED -> Flux.fromIterable(sourceIds).map((id) -> new Existence(id, State.FAILED));
			case PRESENT -> Flux.fromIterable(sourceIds)
				.flatMapSequential((id) -> answer(id, detail).map((state) -> new Existence(id, state)), CONCURRENCY);
			case GONE, UNKNOWN -> byOtherIds(sourceIds, probeId, detail, otherIds);
		});
	}

	private static Flux<Existence> byOtherIds(List<String> sourceIds, String probeId, Function<String, Mono<?>> detail,
			Function<Collection<String>, Map<String, String>> otherIds) {
		List<String> asked = new ArrayList<>(sourceIds);
		asked.add(probeId);
		return Mono.fromCallable(() -> otherIds.apply(asked))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapMany((others) -> {
				String probeOther = others.get(probeId);
				if (probeOther == null || probeOther.equals(probeId)) {
					return unknown(sourceIds);
				}
				return answer(probeOther, detail).flatMapMany((probe) -> {
					if (probe == State.FAILED) {
						return Flux.fromIterable(sourceIds).map((id) -> new Existence(id, State.FAILED));
					}
					if (probe != State.PRESENT) {
						return unknown(sourceIds);
					}
					Map<String, Mono<State>> byOther = new ConcurrentHashMap<>();
					byOther.put(probeOther, Mono.just(State.PRESENT));
					return Flux.fromIterable(sourceIds).flatMapSequential((id) -> {
						String other = others.get(id);
						if (other == null) {
							return Mono.just(new Existence(id, State.UNKNOWN));
						}
						return byOther.computeIfAbsent(other, (key) -> answer(key, detail).cache())
							.map((state) -> new Existence(id, state));
					}, CONCURRENCY);
				});
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
