package io.tributary.source.zylon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

import io.tributary.interaction.NormalizedInteraction;
import io.tributary.interaction.SourceKind;
import io.tributary.source.Paging;
import io.tributary.source.SourceConnector;
import io.tributary.source.SourcePage;
import io.tributary.source.SourcesProperties.ZylonApiVariant;
import io.tributary.source.SyncRequest;
import io.tributary.source.UpstreamClients;
import io.tributary.source.UpstreamException;
import io.tributary.source.UpstreamJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Reads Zylon, project by project, newest first with cursors ({@code after} +
 * {@code first} + {@code page_order=DESC}). {@code api-variant: project} reads the
 * project-level list, {@code threads} lists the project's threads and reads each thread's
 * list, {@code auto} starts with the project-level list and switches to threads (and
 * remembers it) when the instance answers 404 there. The incremental stop applies per
 * ordered stream: per project, or per thread.
 */
@Component
class ZylonConnector implements SourceConnector {

	private static final Logger log = LoggerFactory.getLogger(ZylonConnector.class);

	private static final String DESC = "DESC";

	private final UpstreamClients clients;

	private final JsonMapper json;

	private final Map<String, ZylonApi> apis = new ConcurrentHashMap<>();

	private final Map<String, ZylonApiVariant> detected = new ConcurrentHashMap<>();

	ZylonConnector(UpstreamClients clients, JsonMapper json) {
		this.clients = clients;
		this.json = json;
	}

	@Override
	public SourceKind kind() {
		return SourceKind.ZYLON;
	}

	@Override
	public Flux<SourcePage> fetch(SyncRequest request) {
		var zylon = request.connection().zylon();
		ZylonApi api = this.apis.computeIfAbsent(request.name(),
				(name) -> this.clients.create(name, request.connection(), ZylonApi.class, (headers) -> {
					headers.setBearerAuth(request.connection().apiKey());
					headers.set("x-org", zylon.org());
				}));
		return Flux.fromIterable(zylon.projectIds()).concatMap((projectId) -> project(api, request, projectId), 0);
	}

	private Flux<SourcePage> project(ZylonApi api, SyncRequest request, String projectId) {
		String key = request.name() + "/" + projectId;
		ZylonApiVariant variant = this.detected.getOrDefault(key, request.connection().zylon().apiVariant());
		if (variant == ZylonApiVariant.THREADS) {
			return threads(api, request, projectId);
		}
		Flux<SourcePage> projectLevel = interactions(request, "project " + projectId,
				"GET /app/project/{projectId}/interaction",
				(after) -> api.projectInteractions(projectId, request.connection().pageSize(), after, DESC));
		if (variant == ZylonApiVariant.PROJECT) {
			return projectLevel;
		}
		return Flux.defer(() -> {
			AtomicBoolean emitted = new AtomicBoolean();
			return projectLevel.doOnNext((page) -> emitted.set(true))
				.onErrorResume((ex) -> !emitted.get() && ex instanceof UpstreamException upstream
						&& Integer.valueOf(404).equals(upstream.status()), (ex) -> {
							log.info("Connection '{}': project {} has no project-level interaction list (404); "
									+ "reading its threads instead", request.name(), projectId);
							this.detected.put(key, ZylonApiVariant.THREADS);
							return threads(api, request, projectId);
						});
		});
	}

	private Flux<SourcePage> threads(ZylonApi api, SyncRequest request, String projectId) {
		int first = request.connection().pageSize();
		return cursorPages(request.name(), "GET /app/project/{projectId}/thread",
				(after) -> api.projectThreads(projectId, first, after, DESC), Function.identity(), (page) -> false)
			.concatMapIterable(ZylonPage::data)
			.map((thread) -> thread.path("id").asString(""))
			.filter((threadId) -> !threadId.isEmpty())
			.concatMap(
					(threadId) -> interactions(request, "thread " + threadId, "GET /app/thread/{threadId}/interaction",
							(after) -> api.threadInteractions(threadId, first, after, DESC)),
					0);
	}

	/**
	 * One ordered stream of interaction pages, ending early per the incremental stop
	 * rule.
	 */
	private Flux<SourcePage> interactions(SyncRequest request, String stream, String call,
			Function<String, Mono<JsonNode>> fetch) {
		return Flux.defer(() -> {
			Paging.StopRule stop = Paging.stopRule(request.stopBefore());
			return cursorPages(request.name(), call, fetch,
					(page) -> SourcePage.of(
							page.data().stream().map((node) -> map(request.name(), call, node)).toList(),
							stream + " after " + page.nextCursor()),
					stop::isLast)
				.filter((page) -> page.fetched() > 0);
		});
	}

	/**
	 * Follows {@code next_cursor} while {@code has_next_page} and {@code last} does not
	 * say stop; a cursor that repeats is an upstream fault, not a loop.
	 */
	private <T> Flux<T> cursorPages(String name, String call, Function<String, Mono<JsonNode>> fetch,
			Function<ZylonPage, T> map, Predicate<T> last) {
		return page(name, call, fetch, null).map((page) -> new Step<>(page, map.apply(page)))
			.expand((step) -> (!step.page().hasMore() || last.test(step.value())) ? Mono.empty()
					: page(name, call, fetch, step.page().nextCursor()).map((next) -> {
						if (step.page().nextCursor().equals(next.nextCursor())) {
							throw UpstreamException.undecodable(name, call,
									new IllegalStateException("next_cursor repeats: " + next.nextCursor()));
						}
						return new Step<>(next, map.apply(next));
					}))
			.map(Step::value);
	}

	private Mono<ZylonPage> page(String name, String call, Function<String, Mono<JsonNode>> fetch, String after) {
		return UpstreamClients.decoding(name, call, fetch.apply(after))
			.map((body) -> UpstreamJson.read(this.json, name, call, body, ZylonPage.class, (page) -> {
				if (page.data() == null) {
					throw new IllegalArgumentException("the envelope has no data array");
				}
				return page;
			}));
	}

	private record Step<T>(ZylonPage page, T value) {
	}

	private NormalizedInteraction map(String name, String call, JsonNode node) {
		return UpstreamJson.read(this.json, name, call, node, ZylonInteraction.class, (item) -> {
			UpstreamJson.requireIdentity(item.id() != null && item.createdAt() != null);
			return ZylonMapper.map(name, item, node);
		});
	}

}
