package io.tributary.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tributary.hygiene.KnownSecrets;
import io.tributary.hygiene.SecretText;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The secret values in the configuration, found by the names of their properties: the
 * upstream keys ({@code tributary.sources.*.api-key}), our API keys
 * ({@code tributary.security.api-keys[*].key}), the cursor secret, database passwords,
 * and whatever else is named like a secret (see {@link #isSecretProperty}), in any
 * property source (files, environment variables, command line); plus the query values of
 * connections' base URLs and credentials inside URLs. Log lines and Actuator answers are
 * cleaned of them.
 */
final class ConfiguredSecrets {

	/** {@code …_0_KEY}: an environment variable of one element of a list. */
	private static final Pattern LIST_VARIABLE = Pattern.compile("(.*?)_\\d+_([A-Za-z0-9]+)");

	/**
	 * Environment variables named like secrets that are not: the working directory
	 * ({@code pwd} also abbreviates password), sockets and session plumbing.
	 */
	private static final Set<String> NOT_SECRETS = Set.of("PWD", "OLDPWD", "SSH_AUTH_SOCK", "SSH_AGENT_PID",
			"XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "SESSION_MANAGER", "DESKTOP_SESSION", "GPG_AGENT_INFO");

	/**
	 * Values that look configured as secrets but are published: the demo profile's API
	 * key, which the README documents and the demo prints on purpose
	 * ({@code SandboxConfiguration}). Any other key, the demo's included when set from
	 * {@code TRIBUTARY_DEMO_API_KEY}, stays redacted.
	 */
	private static final Set<String> PUBLISHED = Set.of("tributary-demo-key");

	private static final Pattern SOURCE_BASE_URL = Pattern.compile("tributary\\.sources\\.[^.]+\\.base-?url",
			Pattern.CASE_INSENSITIVE);

	private ConfiguredSecrets() {
	}

	/**
	 * @param environment the application's environment
	 * @return every secret value it holds (at least {@value KnownSecrets#MIN_LENGTH}
	 * characters)
	 */
	static Set<String> of(ConfigurableEnvironment environment) {
		Set<String> secrets = new LinkedHashSet<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				Object raw = enumerable.getProperty(name);
				if (raw == null) {
					continue;
				}
				String value = resolve(environment, raw.toString());
				if (isSecretProperty(name)) {
					add(secrets, value);
				}
				else if (value.contains("://")) {
					urlSecrets(value, SOURCE_BASE_URL.matcher(name).matches(), secrets);
				}
			}
		}
		return secrets;
	}

	/**
	 * Whether a property holds a secret, by its name: its last part is named like a
	 * secret ({@code api-key}, {@code cursor-secret}, {@code password}, {@code token},
	 * …), or it is the {@code key} (or {@code key-sha256}) of an element of a list of API
	 * keys. Environment variables are judged by their whole name, or by their last part
	 * when they bind a list element ({@code …_APIKEYS_0_KEY}).
	 * @param name the property's name, as its source spells it
	 * @return whether its value is a secret
	 */
	static boolean isSecretProperty(String name) {
		if (NOT_SECRETS.contains(name) || name.startsWith("XDG_SESSION_")) {
			return false;
		}
		String last;
		String parent;
		int dot = name.lastIndexOf('.');
		if (dot >= 0) {
			last = name.substring(dot + 1);
			parent = name.substring(0, dot);
		}
		else {
			Matcher element = LIST_VARIABLE.matcher(name);
			last = element.matches() ? element.group(2) : name;
			parent = element.matches() ? element.group(1) : "";
		}
		last = last.replaceAll("\\[\\d+]", "");
		String lower = last.toLowerCase(Locale.ROOT);
		if ((lower.equals("key") || lower.startsWith("key-") || lower.startsWith("keysha"))
				&& parent.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "").contains("apikeys")) {
			return true;
		}
		return SecretText.isSecretName(last) || endsWithKeyWord(last);
	}

	/**
	 * Whether a name's last word is {@code key} or {@code keys}: a configured key
	 * ({@code hash-key}, {@code signingKey}, {@code SIGNING_KEY}) is a secret whatever
	 * qualifies it ({@code monkey} is no key).
	 */
	private static boolean endsWithKeyWord(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		int length = lower.endsWith("keys") ? 4 : lower.endsWith("key") ? 3 : 0;
		if (length == 0) {
			return false;
		}
		int at = name.length() - length;
		if (at == 0) {
			return true;
		}
		char before = name.charAt(at - 1);
		return !Character.isLetter(before) || (Character.isLowerCase(before) && Character.isUpperCase(name.charAt(at)));
	}

	/**
	 * Credentials in a URL: its user info and, for a connection's base URL, every query
	 * value (some upstreams take a token there), elsewhere the values of secret-named
	 * query parameters.
	 */
	private static void urlSecrets(String value, boolean baseUrl, Set<String> secrets) {
		URI url;
		try {
			String text = value.strip();
			// jdbc:postgresql://user:password@host/db: the URL after "jdbc:"
			url = new URI(text.regionMatches(true, 0, "jdbc:", 0, 5) ? text.substring(5) : text);
		}
		catch (URISyntaxException ex) {
			return;
		}
		if (url.getRawUserInfo() != null) {
			String userInfo = url.getRawUserInfo();
			add(secrets, userInfo.substring(userInfo.indexOf(':') + 1));
		}
		String query = url.getRawQuery();
		if (query == null) {
			return;
		}
		for (String parameter : query.split("&")) {
			int equals = parameter.indexOf('=');
			if (equals > 0 && (baseUrl || SecretText.isSecretName(parameter.substring(0, equals)))) {
				String encoded = parameter.substring(equals + 1);
				add(secrets, encoded);
				try {
					add(secrets, URLDecoder.decode(encoded, StandardCharsets.UTF_8));
				}
				catch (IllegalArgumentException ex) {
					// a broken escape: the raw value is all there is
				}
			}
		}
	}

	private static String resolve(ConfigurableEnvironment environment, String value) {
		try {
			return environment.resolvePlaceholders(value);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

	private static void add(Set<String> secrets, String value) {
		if (KnownSecrets.isSearchable(value) && !PUBLISHED.contains(value.strip())) {
			secrets.add(value);
			secrets.add(value.strip());
		}
	}

}
