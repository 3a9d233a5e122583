package io.tributary.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;

/**
 * Reads {@code Accept} as usual, and lets a client that accepts
 * {@code application/problem+json} also accept {@code application/json} right after it: a
 * problem document is JSON, and a client that can read one can read the JSON answers of
 * the same operation.
 */
final class ProblemJsonAcceptsJson implements ContentNegotiationStrategy {

	private final ContentNegotiationStrategy delegate;

	ProblemJsonAcceptsJson(ContentNegotiationStrategy delegate) {
		this.delegate = delegate;
	}

	@Override
	public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
		List<MediaType> requested = this.delegate.resolveMediaTypes(request);
		if (requested.stream().noneMatch(MediaType.APPLICATION_PROBLEM_JSON::equalsTypeAndSubtype)
				|| requested.stream().anyMatch(MediaType.APPLICATION_JSON::equalsTypeAndSubtype)) {
			return requested;
		}
		List<MediaType> widened = new ArrayList<>();
		for (MediaType type : requested) {
			widened.add(type);
			if (MediaType.APPLICATION_PROBLEM_JSON.equalsTypeAndSubtype(type)) {
				widened.add(new MediaType(MediaType.APPLICATION_JSON, type.getParameters()));
			}
		}
		return widened;
	}

}
