package io.tributary;

import io.tributary.security.ApiSecurityProperties;
import io.tributary.security.ApiSecurityProperties.ApiKey;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Every MockMvc request of a test context sends, unless the test sets the header itself,
 * a configured key with both scopes, so the tests go through the real security filter
 * chain the way a client does. Tests about authentication send their own headers.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestApiKeys {

	/** The header the default key travels in. */
	public static final String HEADER = "X-API-Key";

	@Bean
	MockMvcBuilderCustomizer sendAnApiKey(ApiSecurityProperties security) {
		String key = fullKey(security);
		return (builder) -> builder.defaultRequest(MockMvcRequestBuilders.get("/").header(HEADER, key));
	}

	/**
	 * @param security the bound configuration
	 * @return the first configured key with both scopes
	 */
	public static String fullKey(ApiSecurityProperties security) {
		return security.apiKeys()
			.stream()
			.filter((key) -> key.key() != null && key.scopes().size() == 2 && key.connections().isEmpty())
			.map(ApiKey::key)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No key with both scopes configured for tests"));
	}

}
