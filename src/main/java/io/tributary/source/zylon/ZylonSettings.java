package io.tributary.source.zylon;

import java.util.List;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.sources.<name>.zylon}.
 *
 * @param org the {@code x-org} header: organization slug or UUID
 * @param projectIds projects to read
 * @param apiVariant {@code project} (project-level list), {@code threads} (threads, then
 * each thread's interactions) or {@code auto} (project-level, falling back to threads on
 * 404)
 * @param fetchFeedback also read each new or changed interaction's feedback (every one in
 * full runs) from {@code /app/feedback/{id}}: its rating becomes the interaction's, with
 * rating source {@code feedback}; off by default (one more call per such interaction)
 * @param feedbackConcurrency feedback calls at once
 */
record ZylonSettings(String org, @DefaultValue List<String> projectIds, @DefaultValue("auto") ApiVariant apiVariant,
		@DefaultValue("false") boolean fetchFeedback, @DefaultValue("4") int feedbackConcurrency) {

	/** Which Zylon list endpoints an instance has. */
	enum ApiVariant {

		PROJECT, THREADS, AUTO

	}

}
