package io.tributary.source.flockx;

import java.net.URI;
import java.time.temporal.ChronoUnit;

import io.tributary.interaction.NormalizedInteraction;
import io.tributary.source.KindSettings;
import io.tributary.source.Paging;
import io.tributary.source.SourceConnector;
import io.tributary.source.SourceKind;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncRequest;
import io.tributary.source.UpstreamClients;
import io.tributary.source.UpstreamJson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Reads Flockx newest first ({@code sort_order=desc}), page by page, with
 * {@code end_time} pinned to the run's start for the whole run so new interactions cannot
 * shift the pages being read. Incomplete interactions are read too by default and stored
 * as in progress; they are rewritten when a later run sees them complete.
 */
@Component
class FlockxConnector implements SourceConnector {

	static final SourceKind KIND = SourceKind.of("flockx");

	private static final URI PUBLIC_BASE_URL = URI.create("https://api.flockx.io/api/v1");

	private static final String CALL = "GET /interactions";

	private final UpstreamClients clients;

	private final JsonMapper json;

	FlockxConnector(UpstreamClients clients, JsonMapper json) {
		this.clients = clients;
		this.json = json;
	}

	@Override
	public SourceKind kind() {
		return KIND;
	}

	@Override
	public URI defaultBaseUrl() {
		return PUBLIC_BASE_URL;
	}

	@Override
	public Object settings(KindSettings settings) {
		return settings.bind(FlockxSettings.class);
	}

	@Override
	public Flux<SourcePage> fetch(SyncRequest request) {
		FlockxSettings flockx = request.settings(FlockxSettings.class);
		FlockxApi api = this.clients.client(request, FlockxApi.class, (headers) -> headers
			.set(HttpHeaders.AUTHORIZATION, authorization(flockx.authScheme(), request.connection().apiKey())));
		String endTime = request.startedAt().truncatedTo(ChronoUnit.MILLIS).toString();
		return Flux.defer(() -> {
			Paging.StopRule stop = Paging.stopRule(request.stopBefore());
			return page(request, api, 1, endTime)
				.expand((listed) -> (listed.hasNext() && !stop.isLast(listed.page()))
						? page(request, api, listed.number() + 1, endTime) : Mono.empty())
				.map(Listed::page)
				.filter((page) -> page.fetched() > 0);
		});
	}

	static String authorization(String scheme, String key) {
		return (scheme == null || scheme.isBlank()) ? key : scheme.trim() + " " + key;
	}

	private Mono<Listed> page(SyncRequest request, FlockxApi api, int number, String endTime) {
		FlockxSettings flockx = request.settings(FlockxSettings.class);
		String call = CALL + "?page=" + number;
		return UpstreamClients
			.decoding(call, api.list(number, request.connection().pageSize(), "desc", endTime,
					flockx.includeIncomplete(), flockx.agentId(), flockx.channelId()))
			.map((body) -> {
				FlockxInteraction.Envelope envelope = UpstreamJson.read(this.json, call, body,
						FlockxInteraction.Envelope.class, (read) -> {
							if (read.items() == null) {
								throw new IllegalArgumentException("the envelope has no items array");
							}
							return read;
						});
				SourcePage page = SourcePage.mapping(envelope.items(), (node) -> map(request, call, node));
				boolean hasNext = page.fetched() > 0
						&& hasNext(envelope.meta(), number, request.connection().pageSize(), page.fetched());
				return new Listed(number, page, hasNext);
			});
	}

	private NormalizedInteraction map(SyncRequest request, String call, JsonNode node) {
		return UpstreamJson.read(this.json, call, node, FlockxInteraction.class, (item) -> {
			UpstreamJson.requireIdentity(item.id() != null && item.createdAt() != null);
			return FlockxMapper.map(request.name(), request.settings(FlockxSettings.class).agentId(), item, node);
		});
	}

	/**
	 * {@code meta.has_next} when sent; otherwise {@code meta.total} against the items
	 * read so far; otherwise whether the page was full.
	 */
	static boolean hasNext(FlockxInteraction.Meta meta, int page, int size, int received) {
		if (meta != null && meta.hasNext() != null) {
			return meta.hasNext();
		}
		if (meta != null && meta.total() != null) {
			return (long) (page - 1) * size + received < meta.total();
		}
		return received >= size;
	}

	private record Listed(int number, SourcePage page, boolean hasNext) {
	}

}
