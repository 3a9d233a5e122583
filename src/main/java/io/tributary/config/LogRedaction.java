package io.tributary.config;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.RootCauseFirstThrowableProxyConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.pattern.PatternLayoutBase;
import io.tributary.hygiene.SecretText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.springframework.boot.logging.logback.WhitespaceThrowableProxyConverter;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps secrets out of the logs, whatever a logger is set to:
 * <ul>
 * <li>every log line (message and stack trace) written through a pattern layout is
 * {@linkplain SecretText#redact redacted}: the configured secrets
 * ({@link ConfiguredSecrets}: upstream keys, API keys, the cursor secret, passwords),
 * values of secret-named headers, fields and parameters ({@code Authorization: …},
 * {@code X-API-Key: …}, {@code "api_key": "…"}, {@code ?token=…}) and URL credentials.
 * That covers what libraries log at DEBUG and TRACE: WebClient's request lines and
 * decoded bodies, Reactor Netty, Tomcat's raw request dumps, Spring MVC and
 * Security;</li>
 * <li>{@code spring.codec.log-request-details} and
 * {@code spring.mvc.log-request-details}, which make WebClient and Spring MVC log every
 * request header at TRACE, are kept off (a warning says so when the configuration turns
 * one on).</li>
 * </ul>
 * Installed right after Spring Boot has configured Logback (registered in
 * {@code META-INF/spring.factories}), by replacing the {@code %m}, {@code %msg},
 * {@code %message} and throwable conversion words of the context. Structured logging
 * ({@code logging.structured.format.console=ecs|logstash|gelf}) has no pattern layout:
 * its every string member (message, stack trace, MDC values) goes through
 * {@link RedactingJson}, set as {@code logging.structured.json.customizer} in
 * {@code application.yml}.
 */
public class LogRedaction implements GenericApplicationListener {

	static final String PROPERTY_SOURCE = "tributarySecretHygiene";

	private static final Logger log = LoggerFactory.getLogger(LogRedaction.class);

	private static final String[] REQUEST_DETAILS = { "spring.codec.log-request-details",
			"spring.mvc.log-request-details" };

	private static final Set<String> known = new LinkedHashSet<>();

	private static volatile SecretText secrets = SecretText.none();

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return eventType.isAssignableFrom(ApplicationEnvironmentPreparedEvent.class)
				|| eventType.isAssignableFrom(ApplicationPreparedEvent.class);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			ConfigurableEnvironment environment = prepared.getEnvironment();
			remember(ConfiguredSecrets.of(environment));
			if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
				install(context);
			}
			keepRequestDetailsOff(environment);
		}
		else if (event instanceof ApplicationPreparedEvent prepared) {
			// initializers may have added property sources since
			remember(ConfiguredSecrets.of(prepared.getApplicationContext().getEnvironment()));
		}
	}

	/** Right after {@link LoggingApplicationListener} has configured the logging. */
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	/**
	 * Adds values to redact from every log line (those of earlier applications in the
	 * same JVM stay).
	 * @param values the secrets
	 */
	static synchronized void remember(Set<String> values) {
		if (known.addAll(values)) {
			secrets = SecretText.of(known);
		}
	}

	/**
	 * @param text a log message or stack trace
	 * @return it without secrets
	 */
	static String redact(String text) {
		return secrets.redact(text);
	}

	/**
	 * Makes every pattern layout of the context use the redacting converters: registers
	 * them under the standard conversion words and restarts the layouts, which then parse
	 * their patterns again.
	 * @param context the Logback context
	 */
	@SuppressWarnings("unchecked")
	static void install(LoggerContext context) {
		Map<String, Supplier<DynamicConverter<?>>> rules = (Map<String, Supplier<DynamicConverter<?>>>) context
			.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
		if (rules == null) {
			rules = new HashMap<>();
			context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
		}
		for (String word : new String[] { "m", "msg", "message" }) {
			rules.put(word, RedactingMessage::new);
		}
		for (String word : new String[] { "ex", "exception", "throwable" }) {
			rules.put(word, RedactingThrowable::new);
		}
		for (String word : new String[] { "xEx", "xException", "xThrowable" }) {
			rules.put(word, RedactingExtendedThrowable::new);
		}
		for (String word : new String[] { "rEx", "rootException" }) {
			rules.put(word, RedactingRootCauseFirstThrowable::new);
		}
		rules.put("wex", RedactingWhitespaceThrowable::new);
		rules.put("wEx", RedactingExtendedWhitespaceThrowable::new);
		for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
			for (Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders(); appenders.hasNext();) {
				if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> appender
						&& appender.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
						&& encoder.getLayout() instanceof PatternLayoutBase<ILoggingEvent> layout) {
					layout.stop();
					layout.start();
				}
			}
		}
	}

	private static void keepRequestDetailsOff(ConfigurableEnvironment environment) {
		Map<String, Object> off = new HashMap<>();
		for (String property : REQUEST_DETAILS) {
			if (environment.getProperty(property, Boolean.class, false)) {
				log.warn("{}=true is ignored: it would log every request header, API keys and upstream keys "
						+ "included; debug with the logging levels instead", property);
			}
			off.put(property, false);
		}
		environment.getPropertySources().remove(PROPERTY_SOURCE);
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, off));
	}

	/**
	 * Redacts every string a structured (JSON) log line holds.
	 */
	public static final class RedactingJson implements StructuredLoggingJsonMembersCustomizer<Object> {

		@Override
		public void customize(JsonWriter.Members<Object> members) {
			members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, LogRedaction::redact));
		}

	}

	static final class RedactingMessage extends MessageConverter {

		@Override
		public String convert(ILoggingEvent event) {
			return redact(super.convert(event));
		}

	}

	static final class RedactingThrowable extends ThrowableProxyConverter {

		@Override
		protected String throwableProxyToString(IThrowableProxy proxy) {
			return redact(super.throwableProxyToString(proxy));
		}

	}

	static final class RedactingExtendedThrowable extends ExtendedThrowableProxyConverter {

		@Override
		protected String throwableProxyToString(IThrowableProxy proxy) {
			return redact(super.throwableProxyToString(proxy));
		}

	}

	static final class RedactingRootCauseFirstThrowable extends RootCauseFirstThrowableProxyConverter {

		@Override
		protected String throwableProxyToString(IThrowableProxy proxy) {
			return redact(super.throwableProxyToString(proxy));
		}

	}

	static final class RedactingWhitespaceThrowable extends WhitespaceThrowableProxyConverter {

		@Override
		protected String throwableProxyToString(IThrowableProxy proxy) {
			return redact(super.throwableProxyToString(proxy));
		}

	}

	static final class RedactingExtendedWhitespaceThrowable extends ExtendedWhitespaceThrowableProxyConverter {

		@Override
		protected String throwableProxyToString(IThrowableProxy proxy) {
			return redact(super.throwableProxyToString(proxy));
		}

	}

}
