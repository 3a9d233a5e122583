package io.tributary.source;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.netty.channel.ChannelOption;
import io.tributary.common.JsonLimits;
import io.tributary.hygiene.SecretText;
import io.tributary.source.SourcesProperties.Connection;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Hints;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.codec.CodecException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.util.MimeType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Builds each connection's {@code @HttpExchange} client: its base URL, auth headers,
 * connect and read timeouts, and one retry policy for every call — transient failures
 * (connect errors, timeouts, 408, 429, 5xx) are retried with exponential backoff and
 * jitter, honouring {@code Retry-After} and {@code retry-after-ms}; anything else fails
 * at once as an {@link UpstreamException} that names method, path and status, with a
 * summary of the answer's message (see {@link ErrorBodies}), never its body or the key.
 */
@Component
public class UpstreamClients {

	private final WebClient.Builder builder;

	private final JsonMapper json;

	private final Map<List<Object>, Object> clients = new ConcurrentHashMap<>();

	/**
	 * @param builder the application's WebClient builder
	 * @param json the application's JSON mapper, which decodes the upstreams' bodies
	 */
	@Autowired
	public UpstreamClients(WebClient.Builder builder, JsonMapper json) {
		this.builder = builder;
		this.json = json;
	}

	/**
	 * @param builder a WebClient builder; bodies are decoded with a default JSON mapper
	 */
	public UpstreamClients(WebClient.Builder builder) {
		this(builder, JsonMapper.builder(JsonLimits.factory()).build());
	}

	/**
	 * The client of one connection, built on first use and kept for later runs.
	 * @param <T> the {@code @HttpExchange} interface
	 * @param request the run's request: the connection's name and configuration
	 * @param api the interface
	 * @param headers the auth (and other) headers every call carries
	 * @return the client
	 */
	public <T> T client(SyncRequest request, Class<T> api, Consumer<HttpHeaders> headers) {
		return api.cast(this.clients.computeIfAbsent(List.of(request.name(), request.connection(), api),
				(key) -> create(request.name(), request.connection(), api, headers)));
	}

	private <T> T create(String name, Connection connection, Class<T> api, Consumer<HttpHeaders> headers) {
		BodyLimits limits = BodyLimits.of(name, connection);
		JsonMapper upstream = UpstreamJson.mapper(this.json, limits.constraints());
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connection.connectTimeout().toMillis())
			.responseTimeout(connection.readTimeout());
		WebClient client = this.builder.clone()
			.baseUrl(connection.baseUrl().toString())
			.clientConnector(new ReactorClientHttpConnector(http))
			.defaultHeaders(headers)
			.codecs((codecs) -> {
				codecs.defaultCodecs().maxInMemorySize(limits.maxBytes());
				// headers (the key) and bodies (payload secrets) never reach the DEBUG
				// and
				// TRACE logs
				codecs.defaultCodecs().enableLoggingRequestDetails(false);
				codecs.defaultCodecs().jacksonJsonDecoder(new QuietJsonDecoder(upstream));
			})
			.filter(new RetryingErrorFilter(name, connection, limits, upstream.tokenStreamFactory()))
			.observationConvention(new WithoutQuery(name))
			.build();
		return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(client)).build().createClient(api);
	}

	/**
	 * The {@code http.client.requests} observations (metrics, traces) tagged with the
	 * connection, and without the query: a base URL's query may carry a token, and the
	 * rest only multiplies the tag's values.
	 */
	static final class WithoutQuery extends DefaultClientRequestObservationConvention {

		private final String connection;

		WithoutQuery(String connection) {
			this.connection = connection;
		}

		/**
		 * Also tagged with the connection, so each upstream account has its own series.
		 */
		@Override
		public KeyValues getLowCardinalityKeyValues(ClientRequestObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("connection", this.connection);
		}

		@Override
		protected KeyValue uri(ClientRequestObservationContext context) {
			return withoutQuery(super.uri(context));
		}

		@Override
		protected KeyValue httpUrl(ClientRequestObservationContext context) {
			return withoutQuery(super.httpUrl(context));
		}

		private static KeyValue withoutQuery(KeyValue tag) {
			int query = tag.getValue().indexOf('?');
			return (query < 0) ? tag : KeyValue.of(tag.getKey(), tag.getValue().substring(0, query));
		}

	}

	/**
	 * Spring's JSON decoder, without its DEBUG and TRACE lines that show every decoded
	 * value: an upstream's body holds payload secrets and personal data.
	 */
	static final class QuietJsonDecoder extends JacksonJsonDecoder {

		QuietJsonDecoder(JsonMapper json) {
			super(json);
		}

		@Override
		public Flux<Object> decode(Publisher<DataBuffer> input, ResolvableType type, MimeType mimeType,
				Map<String, Object> hints) {
			return super.decode(input, type, mimeType, quiet(hints));
		}

		@Override
		public Mono<Object> decodeToMono(Publisher<DataBuffer> input, ResolvableType type, MimeType mimeType,
				Map<String, Object> hints) {
			return super.decodeToMono(input, type, mimeType, quiet(hints));
		}

		@Override
		public Object decode(DataBuffer buffer, ResolvableType type, MimeType mimeType, Map<String, Object> hints) {
			return super.decode(buffer, type, mimeType, quiet(hints));
		}

		private static Map<String, Object> quiet(Map<String, Object> hints) {
			return Hints.merge((hints != null) ? hints : Hints.none(), Hints.SUPPRESS_LOGGING_HINT, true);
		}

	}

	/**
	 * Names the call in a decoding failure, so a malformed answer is reported like any
	 * other upstream error.
	 * @param <T> the decoded type
	 * @param request method and path, e.g. {@code GET /interactions}
	 * @param call the call
	 * @return the call, with decoding failures mapped to {@link UpstreamException}
	 */
	public static <T> Mono<T> decoding(String request, Mono<T> call) {
		return call.onErrorMap(CodecException.class, (ex) -> UpstreamException.undecodable(request, ex));
	}

	static final class RetryingErrorFilter implements ExchangeFilterFunction {

		private final SecretText secrets;

		private final Retry retry;

		private final int maxAttempts;

		private final Duration callTimeout;

		private final BodyLimits limits;

		private final TokenStreamFactory parsers;

		RetryingErrorFilter(String name, Connection connection, BodyLimits limits, TokenStreamFactory parsers) {
			this.limits = limits;
			this.parsers = parsers;
			this.secrets = SecretText.of(connection.secrets());
			this.callTimeout = connection.callTimeout();
			this.maxAttempts = connection.retry().maxAttempts();
			Duration maxBackoff = connection.retry().maxBackoff();
			IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(connection.retry().initialBackoff(),
					2.0, 0.5, maxBackoff);
			this.retry = Retry.of("upstream-" + name,
					RetryConfig.custom()
						.maxAttempts(this.maxAttempts)
						.retryOnException((ex) -> ex instanceof UpstreamException upstream && upstream.isTransient())
						.intervalBiFunction((attempt, outcome) -> {
							if (outcome.isLeft() && outcome.getLeft() instanceof UpstreamException upstream
									&& upstream.retryAfter() != null) {
								return Math.min(upstream.retryAfter().toMillis(), maxBackoff.toMillis());
							}
							return backoff.apply(attempt);
						})
						.build());
		}

		/**
		 * One attempt reads the whole answer within {@code call-timeout}: a 2xx body that
		 * is cut off, reset or not well-formed JSON is a transient failure like a 5xx
		 * (the calls are idempotent GETs), so it is retried before the run fails.
		 */
		@Override
		public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
			String call = request.method().name() + " " + request.url().getRawPath();
			return Mono.defer(() -> next.exchange(request))
				.flatMap((response) -> response.statusCode().is2xxSuccessful() ? complete(call, response)
						: body(response).flatMap((body) -> Mono.error(UpstreamException.status(call,
								response.statusCode(), retryAfter(response.headers().asHttpHeaders()),
								shouldRetry(response.headers().asHttpHeaders()),
								ErrorBodies.summary(body, this.secrets)))))
				.timeout(this.callTimeout,
						Mono.error(() -> UpstreamException.io(call,
								new java.util.concurrent.TimeoutException(
										"no complete answer within call-timeout " + this.callTimeout))))
				.onErrorMap((ex) -> !(ex instanceof UpstreamException), (ex) -> UpstreamException.io(call, ex))
				.transformDeferred(RetryOperator.of(this.retry))
				.onErrorMap((ex) -> ex instanceof UpstreamException upstream && upstream.isTransient(),
						(ex) -> ((UpstreamException) ex).afterAttempts(this.maxAttempts));
		}

		/**
		 * The 2xx answer, read whole as bytes (never past the connection's
		 * {@code max-body-size}: a larger declared length is refused before reading, a
		 * longer stream when it gets there), checked in one streaming pass to be one
		 * well-formed JSON value within the connection's limits, and handed on as those
		 * same bytes: the decoder builds its tree from them once.
		 */
		private Mono<ClientResponse> complete(String call, ClientResponse response) {
			long declared = response.headers().contentLength().orElse(-1);
			if (declared > this.limits.maxBytes()) {
				return response.releaseBody().then(Mono.error(this.limits.tooLarge(call, declared)));
			}
			Charset charset = charset(response);
			return response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.onErrorMap(DataBufferLimitException.class, (ex) -> this.limits.tooLarge(call, -1))
				.flatMap((bytes) -> {
					UpstreamException problem = JsonBodies.problem(call, this.parsers, this.limits, bytes, charset);
					if (problem != null) {
						return Mono.error(problem);
					}
					return Mono.just(response.mutate()
						.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes)))
						.build());
				});
		}

		/**
		 * An error answer's body as text, read as bytes (the string decoder would log it
		 * at DEBUG and TRACE, and it may hold secrets); empty when it is past the
		 * connection's {@code max-body-size}: the status still tells.
		 */
		private static Mono<String> body(ClientResponse response) {
			Charset charset = charset(response);
			return response.bodyToMono(byte[].class)
				.map((bytes) -> new String(bytes, charset))
				.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(""))
				.defaultIfEmpty("");
		}

		private static Charset charset(ClientResponse response) {
			return response.headers()
				.contentType()
				.map(MimeType::getCharset)
				.filter(java.util.Objects::nonNull)
				.orElse(StandardCharsets.UTF_8);
		}

		/**
		 * {@code x-should-retry: true|false}: the server's own word on retrying; null
		 * when not sent.
		 */
		static Boolean shouldRetry(HttpHeaders headers) {
			String value = headers.getFirst("x-should-retry");
			return (value == null) ? null : Boolean.valueOf(value.trim());
		}

		/**
		 * {@code retry-after-ms} (milliseconds) wins over {@code Retry-After} (seconds or
		 * an HTTP date).
		 */
		static Duration retryAfter(HttpHeaders headers) {
			try {
				String millis = headers.getFirst("retry-after-ms");
				if (millis != null) {
					return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.trim())));
				}
				String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
				if (value == null) {
					return null;
				}
				if (value.trim().matches("\\d+")) {
					return Duration.ofSeconds(Long.parseLong(value.trim()));
				}
				Duration until = Duration.between(ZonedDateTime.now(),
						ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

	}

}
