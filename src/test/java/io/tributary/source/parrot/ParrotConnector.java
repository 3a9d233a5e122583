package io.tributary.source.parrot;

import java.util.List;

import io.tributary.hygiene.Secrets;
import io.tributary.interaction.Message;
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

/**
 * A minimal connector: page by page, newest first, with the shared stop rule, client,
 * decoding and redaction. Not a {@code @Component}: only the test that imports it
 * registers the kind.
 */
class ParrotConnector implements SourceConnector {

	private static final SourceKind KIND = SourceKind.of("parrot");

	private final UpstreamClients clients;

	private final JsonMapper json;

	ParrotConnector(UpstreamClients clients, JsonMapper json) {
		this.clients = clients;
		this.json = json;
	}

	@Override
	public SourceKind kind() {
		return KIND;
	}

	@Override
	public Object settings(KindSettings settings) {
		ParrotSettings parrot = settings.bind(ParrotSettings.class);
		if (parrot.channel() == null || parrot.channel().isBlank()) {
			throw settings.invalid("channel", "is required for type parrot");
		}
		return parrot;
	}

	@Override
	public Flux<SourcePage> fetch(SyncRequest request) {
		String channel = request.settings(ParrotSettings.class).channel();
		ParrotApi api = this.clients.client(request, ParrotApi.class,
				(headers) -> headers.setBearerAuth(request.connection().apiKey()));
		int size = request.connection().pageSize();
		String stream = "channel:" + channel;
		return Paging.stream(request, stream, Flux.defer(() -> {
			Paging.StopRule stop = Paging.stopRule(request.stopBefore(stream));
			return page(request, api, channel, 1, size)
				.expand((listed) -> (listed.next() && !stop.isLast(listed.page()))
						? page(request, api, channel, listed.number() + 1, size) : Mono.empty())
				.map((listed) -> listed.page().at(stream, "page=" + listed.number()))
				.filter((page) -> page.fetched() > 0);
		}));
	}

	private Mono<Listed> page(SyncRequest request, ParrotApi api, String channel, int number, int size) {
		String call = "GET /messages?page=" + number;
		return UpstreamClients.decoding(call, api.messages(channel, number, size)).map((body) -> {
			List<NormalizedInteraction> items = body.path("messages")
				.valueStream()
				.map((node) -> UpstreamJson.read(this.json, call, node, ParrotMessage.class, (message) -> {
					UpstreamJson.requireIdentity(message.id() != null && message.at() != null);
					return map(request.name(), channel, message, node);
				}))
				.toList();
			return new Listed(number, SourcePage.of(items), body.path("next").asBoolean(false));
		});
	}

	private static NormalizedInteraction map(String connection, String channel, ParrotMessage message, JsonNode node) {
		return NormalizedInteraction.builder(KIND.name(), connection, message.id())
			.threadId(channel)
			.text(message.asked(), message.answered())
			.messages(List.of(new Message("user", "text", message.asked()),
					new Message("assistant", "text", message.answered())))
			.timestamps(message.at(), message.at())
			.raw(Secrets.redact(node))
			.build();
	}

	private record Listed(int number, SourcePage page, boolean next) {
	}

}
