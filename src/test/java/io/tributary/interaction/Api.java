package io.tributary.interaction;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Calls the API through MockMvc and hands back status, content type and parsed body.
 */
record Api(MockMvc mvc, JsonMapper json) {

	Response get(String path, String... parameters) {
		MockHttpServletRequestBuilder request = MockMvcRequestBuilders.get(path);
		for (int i = 0; i < parameters.length; i += 2) {
			request.param(parameters[i], parameters[i + 1]);
		}
		return perform(request);
	}

	Response perform(MockHttpServletRequestBuilder request) {
		try {
			MockHttpServletResponse response = this.mvc.perform(request).andReturn().getResponse();
			String body = response.getContentAsString();
			return new Response(response.getStatus(), response.getContentType(),
					body.isEmpty() ? null : this.json.readTree(body), response.getHeader("Allow"));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Response(int status, String contentType, JsonNode body, String allow) {

		java.util.List<String> sourceIds() {
			return this.body.get("items").valueStream().map((item) -> item.get("sourceId").asString()).toList();
		}

	}

}
