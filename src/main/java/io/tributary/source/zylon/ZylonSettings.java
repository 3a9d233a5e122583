package io.tributary.source.zylon;

import java.math.BigDecimal;
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
 * @param feedbackConcurrency feedback calls at once (and detail calls of open items)
 * @param feedbackScale the scale of a feedback rating that states none of its own (no
 * {@code min}/{@code max}/{@code scale} beside it): Zylon does not document its feedback
 * body, so the scale is this connection's setting, applied to every such value alike;
 * default 1..5
 */
record ZylonSettings(String org, @DefaultValue List<String> projectIds, @DefaultValue("auto") ApiVariant apiVariant,
		@DefaultValue("false") boolean fetchFeedback, @DefaultValue("4") int feedbackConcurrency,
		@DefaultValue FeedbackScale feedbackScale) {

	/**
	 * {@code tributary.sources.<name>.zylon.feedback-scale}: the default 1..5 is the
	 * common star scale and the one our API's examples show; a value outside the scale is
	 * no rating (its text is kept), never read on another scale. Thumbs (booleans,
	 * up/down words) are not numbers on a scale and stay 0..1.
	 *
	 * @param min the worst rating
	 * @param max the best rating
	 */
	record FeedbackScale(@DefaultValue("1") BigDecimal min, @DefaultValue("5") BigDecimal max) {

		/** The default scale, 1..5. */
		static final FeedbackScale DEFAULT = new FeedbackScale(BigDecimal.ONE, BigDecimal.valueOf(5));

	}

	/** Which Zylon list endpoints an instance has. */
	enum ApiVariant {

		PROJECT, THREADS, AUTO

	}

}
