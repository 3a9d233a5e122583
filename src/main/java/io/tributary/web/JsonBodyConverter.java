package io.tributary.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.tributary.common.JsonBody;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Writes a {@link JsonBody} as it is, with its length. Like the JSON converter it stands
 * beside, it writes {@code application/json} in UTF-8 only: an {@code Accept} asking for
 * another charset finds no writer (a 406, {@link ProblemAdvice}).
 */
final class JsonBodyConverter extends AbstractHttpMessageConverter<JsonBody> {

	JsonBodyConverter() {
		super(MediaType.APPLICATION_JSON);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return JsonBody.class == type;
	}

	@Override
	protected boolean canRead(@Nullable MediaType mediaType) {
		return false;
	}

	@Override
	protected boolean canWrite(@Nullable MediaType mediaType) {
		return super.canWrite(mediaType) && (mediaType == null || mediaType.getCharset() == null
				|| StandardCharsets.UTF_8.equals(mediaType.getCharset()));
	}

	@Override
	protected JsonBody readInternal(Class<? extends JsonBody> type, HttpInputMessage input)
			throws HttpMessageNotReadableException {
		throw new HttpMessageNotReadableException("JSON bodies are written, never read", input);
	}

	@Override
	protected Long getContentLength(JsonBody body, @Nullable MediaType contentType) {
		return (long) body.utf8().length;
	}

	@Override
	protected void writeInternal(JsonBody body, HttpOutputMessage output) throws IOException {
		output.getBody().write(body.utf8());
	}

}
